using DdbCopy.Core.Schema;

namespace DdbCopy.Core.Jobs.Copying;

/// <summary>What the checks before a copy found, and so what the copy may change.</summary>
/// <param name="Destination">The existing destination the copy writes into; null when it is created.</param>
/// <param name="ToCreate">The definition to create the destination from (--createDestination/--recreateDestination).</param>
/// <param name="ToReplace">The existing destination that --recreateDestination deletes first.</param>
public sealed record CopyChecks(TableInfo Source, TableInfo? Destination, TableDefinition? ToCreate, TableDefinition? ToReplace);
