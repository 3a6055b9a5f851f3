using System.IO.Compression;
using DdbCopy.Core.Copying;
using DdbCopy.Core.Errors;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Schema;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Importing;

/// <summary>
/// Reads a file of DynamoDB JSON lines (<c>{"Item":{...}}</c> or bare items; gzip is detected) into write batches.
/// A line that is not an item, or lacks the destination's key, is reported with its line number and skipped.
/// </summary>
public sealed class JsonLinesProducer(string path, IReadOnlyList<KeyAttribute> key, ILogger logger) : IBatchProducer
{
    private static readonly Dictionary<string, Func<Amazon.DynamoDBv2.Model.AttributeValue, bool>> HasType = new()
    {
        ["S"] = v => v.S is not null,
        ["N"] = v => v.N is not null,
        ["B"] = v => v.B is not null,
    };

    public async Task<bool> ProduceAsync(BatchProducerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var reader = Open();
        var pending = new List<Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>>();
        var lineNumber = 0;
        while (await reader.ReadLineAsync(context.Abort) is { } line)
        {
            lineNumber++;
            if (context.Stop.IsCancellationRequested)
            {
                return false;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                var item = DynamoDbJson.ParseItemLine(line);
                CheckKey(item);
                pending.Add(item);
            }
            catch (FormatException ex)
            {
                context.Counters.AddRejected(1);
                Log.Rejected(logger, path, lineNumber, ex.Message);
                continue;
            }

            if (pending.Count >= 1000)
            {
                await FlushAsync(pending, context);
            }
        }

        await FlushAsync(pending, context);
        return true;
    }

    private static async Task FlushAsync(List<Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>> pending, BatchProducerContext context)
    {
        foreach (var batch in BatchSplitter.Split(pending))
        {
            await context.Output.WriteAsync(batch, context.Abort);
            context.Counters.AddScanned(batch.Count, 0);
        }

        pending.Clear();
    }

    private void CheckKey(Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue> item)
    {
        foreach (var attribute in key)
        {
            if (!item.TryGetValue(attribute.Name, out var value))
            {
                throw new FormatException($"the key attribute '{attribute.Name}' is missing");
            }

            if (HasType.TryGetValue(attribute.AttributeType, out var check) && !check(value))
            {
                throw new FormatException($"the key attribute '{attribute.Name}' must be of type {attribute.AttributeType}");
            }
        }
    }

    private StreamReader Open()
    {
        FileStream file;
        try
        {
            file = File.OpenRead(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DdbCopyException(FailureKind.Environment, $"Cannot read {path}: {ex.Message}", ex);
        }

        Stream stream = file;
        Span<byte> magic = stackalloc byte[2];
        if (file.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            file.Position = 0;
            stream = new GZipStream(file, CompressionMode.Decompress);
        }
        else
        {
            file.Position = 0;
        }

        return new StreamReader(stream);
    }
}
