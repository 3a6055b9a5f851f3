namespace DdbCopy.Core.Engine;

/// <summary>The reading half of a job: a table scan, or a file of items, that feeds batches into the write queue.</summary>
public interface IItemSource
{
    /// <summary>Produces every batch it has into <see cref="SourceContext.Output"/>.</summary>
    /// <returns>True when the whole input was produced; false when a stop cut it short.</returns>
    /// <exception cref="Aws.DdbCopyException">The input failed; the message says how.</exception>
    Task<bool> ProduceAsync(SourceContext context);
}
