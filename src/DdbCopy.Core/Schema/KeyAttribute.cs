namespace DdbCopy.Core.Schema;

/// <summary>One key attribute: its name, its role (HASH or RANGE) and its scalar type (S, N or B).</summary>
public sealed record KeyAttribute(string Name, string KeyType, string AttributeType)
{
    public override string ToString() => $"{Name} ({KeyType}, {AttributeType})";
}
