using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Copying;

/// <summary>Items that go out in one BatchWriteItem request, with their sizes in bytes.</summary>
public sealed record WriteBatch(IReadOnlyList<Dictionary<string, AttributeValue>> Items, IReadOnlyList<int> Sizes)
{
    public int Count => Items.Count;
}
