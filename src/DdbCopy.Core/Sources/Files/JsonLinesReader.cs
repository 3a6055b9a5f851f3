using System.Runtime.CompilerServices;
using DdbCopy.Core.Formats;

namespace DdbCopy.Core.Sources.Files;

/// <summary>
/// DynamoDB JSON lines: <c>{"Item":{...}}</c> (AWS exports, ddbcopy exports and dead-letter files), bare items, and
/// the lower-case types of legacy Data Pipeline exports. Blank lines are skipped.
/// </summary>
public sealed class JsonLinesReader : IItemReader
{
    public async IAsyncEnumerable<InputRecord> ReadAsync(TextReader input, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        long number = 0;
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            InputRecord record;
            try
            {
                record = InputRecord.Of(number, DynamoDbJson.ParseItemLine(line), line);
            }
            catch (FormatException ex)
            {
                record = InputRecord.Rejected(number, Items.RecordText.Detail(ex.Message), line);
            }

            yield return record;
        }
    }
}
