using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Formats;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Shaping;

/// <summary>
/// --dryRun with shaping: what is done to items, what the filter costs, and with --preview the first items as they
/// would be written (read with the Scan's filter, then shaped, masked and transformed exactly as the copy would).
/// </summary>
public static class ShapePreview
{
    private const int MaxPages = 20;

    public static IReadOnlyList<string> Describe(ShapeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var lines = new List<string> { $"Would shape items: {settings.Describe()}." };
        if (settings.FilterExpression is not null)
        {
            lines.Add("The Scan applies the filter: items it leaves out are still read and cost read capacity (the estimate reads the whole table).");
        }

        if (settings.Transform is not null)
        {
            lines.Add("With --transform the copy keeps no position to resume from: a stopped run starts again from the beginning.");
        }

        return lines;
    }

    /// <summary>The first <paramref name="count"/> items as they would be written, one DynamoDB JSON line each.</summary>
    public static async Task<IReadOnlyList<string>> FirstItemsAsync(IAmazonDynamoDB client, string table, ShapeSettings settings, IReadOnlyList<string> keyNames,
        int count, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(settings);
        var shaper = new ItemShaper(settings, keyNames, filterHere: false);
        var reader = new Sources.DynamoDb.DynamoDbScanPageReader(client, table, consistentRead: false, settings.ScanFilter());
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        for (var page = 0; page < MaxPages && items.Count < count; page++)
        {
            var read = await reader.ScanAsync(0, 1, start, Math.Max(count, 25), cancellationToken);
            foreach (var item in read.Items)
            {
                if (items.Count < count && shaper.Shape(item, out var refused) is { } shaped && refused is null)
                {
                    items.Add(shaped);
                }
            }

            start = read.LastEvaluatedKey;
            if (start is null)
            {
                break;
            }
        }

        var lines = items.Select(DynamoDbJson.ToJsonLine).ToList();
        return settings.Transform is { } command ? await TransformAsync(command, lines, count, logger, cancellationToken) : lines;
    }

    private static async Task<IReadOnlyList<string>> TransformAsync(string command, IReadOnlyList<string> lines, int count, ILogger logger,
        CancellationToken cancellationToken)
    {
        await using var process = TransformProcess.Start(command, logger);
        var feeding = Task.Run(async () =>
        {
            try
            {
                foreach (var line in lines)
                {
                    await process.Input.WriteLineAsync(line.AsMemory(), cancellationToken);
                }
            }
            catch (IOException)
            {
                // It stopped reading: what it wrote is shown.
            }
            finally
            {
                process.CloseInput();
            }
        }, cancellationToken);
        var output = new List<string>();
        while (output.Count < count && await process.Output.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0)
            {
                output.Add(line);
            }
        }

        await process.DisposeAsync();
        await feeding;
        return output;
    }
}
