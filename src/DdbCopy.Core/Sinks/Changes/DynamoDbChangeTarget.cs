using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Engine;

namespace DdbCopy.Core.Sinks.Changes;

/// <summary>Applies one stream change to the destination.</summary>
public interface IChangeTarget
{
    Task<ChangeWriteResult> ApplyAsync(ChangeRecord change, CancellationToken cancellationToken);
}

/// <summary>What became of a change: written, or not written because the destination holds a newer version.</summary>
public sealed record ChangeWriteResult(bool Applied, IReadOnlyList<ConsumedCapacity> Consumed)
{
    public static ChangeWriteResult Skipped { get; } = new(false, []);
}

/// <summary>
/// Writes a stream change as PutItem (the new image) or DeleteItem (the keys). With a conflict attribute (two-way
/// replication), only when it is newer than what the destination holds: a put only over an item whose attribute is
/// older (or missing), a delete only of the version it deleted or an older one. A replicated write that comes back
/// (its echo) finds the same value and is not applied again, so two followers do not loop. Two different writes with
/// the same value (a tie) are settled the same way on both sides: the one whose canonical form hashes higher wins, so
/// the two tables still converge.
/// </summary>
public sealed class DynamoDbChangeTarget(IAmazonDynamoDB client, string tableName, string? conflictAttribute) : IChangeTarget
{
    public async Task<ChangeWriteResult> ApplyAsync(ChangeRecord change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        try
        {
            if (change.IsRemove)
            {
                var delete = new DeleteItemRequest { TableName = tableName, Key = change.Keys, ReturnConsumedCapacity = ReturnConsumedCapacity.INDEXES };
                if (conflictAttribute is not null)
                {
                    (delete.ConditionExpression, delete.ExpressionAttributeNames, delete.ExpressionAttributeValues) = Condition(change.OldImage, "<=");
                }

                var deleted = await client.DeleteItemAsync(delete, cancellationToken);
                return new ChangeWriteResult(true, deleted.ConsumedCapacity is { } c ? [c] : []);
            }

            var image = change.NewImage
                ?? throw new InvalidOperationException("A stream record without a new image: the stream must keep NEW_IMAGE or NEW_AND_OLD_IMAGES.");
            var put = new PutItemRequest { TableName = tableName, Item = image, ReturnConsumedCapacity = ReturnConsumedCapacity.INDEXES };
            if (conflictAttribute is null)
            {
                var plain = await client.PutItemAsync(put, cancellationToken);
                return new ChangeWriteResult(true, plain.ConsumedCapacity is { } p ? [p] : []);
            }

            (put.ConditionExpression, put.ExpressionAttributeNames, put.ExpressionAttributeValues) = Condition(image, "<");
            put.ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD;
            Dictionary<string, AttributeValue>? held;
            try
            {
                var written = await client.PutItemAsync(put, cancellationToken);
                return new ChangeWriteResult(true, written.ConsumedCapacity is { } w ? [w] : []);
            }
            catch (ConditionalCheckFailedException refused)
            {
                // DynamoDB gives the item it kept; a server that does not (DynamoDB Local) is asked for it.
                held = refused.Item is { Count: > 0 } item ? item
                    : (await client.GetItemAsync(new GetItemRequest { TableName = tableName, Key = change.Keys, ConsistentRead = true }, cancellationToken)).Item;
            }

            if (!WinsTie(image, held))
            {
                return ChangeWriteResult.Skipped;
            }

            // The same version, different contents: written only while the destination still holds that version.
            put.ConditionExpression = "#u = :u";
            put.ReturnValuesOnConditionCheckFailure = null;
            var settled = await client.PutItemAsync(put, cancellationToken);
            return new ChangeWriteResult(true, settled.ConsumedCapacity is { } s ? [s] : []);
        }
        catch (ConditionalCheckFailedException)
        {
            return ChangeWriteResult.Skipped;
        }
    }

    /// <summary>
    /// A tie: the destination's item has the change's version but other contents, and the change's canonical form hashes
    /// higher. Both followers decide alike, so both tables end with the same one of the two.
    /// </summary>
    private bool WinsTie(Dictionary<string, AttributeValue> image, Dictionary<string, AttributeValue>? existing)
    {
        if (existing is not { Count: > 0 } || !image.TryGetValue(conflictAttribute!, out var mine) || !existing.TryGetValue(conflictAttribute!, out var theirs)
            || !Items.AttributeValues.AreEqual(mine, theirs))
        {
            return false;
        }

        // The 128-bit hashes of the canonical forms: equal contents (an echo) never win, and any two differ alike everywhere.
        return Items.CanonicalItem.Hash(image) > Items.CanonicalItem.Hash(existing);
    }

    /// <summary>
    /// "Apply only over an older version": the destination's attribute is missing, or compares <paramref name="op"/>
    /// the change's. A change without the attribute applies only where the destination has none either.
    /// </summary>
    private (string, Dictionary<string, string>, Dictionary<string, AttributeValue>?) Condition(Dictionary<string, AttributeValue>? image, string op)
    {
        var names = new Dictionary<string, string> { ["#u"] = conflictAttribute! };
        return image is not null && image.TryGetValue(conflictAttribute!, out var version) && (version.N is not null || version.S is not null)
            ? ($"attribute_not_exists(#u) OR #u {op} :u", names, new Dictionary<string, AttributeValue> { [":u"] = version })
            : ("attribute_not_exists(#u)", names, null);
    }
}
