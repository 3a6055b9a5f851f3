namespace DdbCopy.Core.Schema;

/// <summary>A global secondary index: the attributes an item needs to appear in it, and its write capacity.</summary>
public sealed record IndexInfo(string Name, IReadOnlyList<string> KeyAttributeNames, long WriteCapacityUnits);
