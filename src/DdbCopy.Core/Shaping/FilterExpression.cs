using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Shaping;

/// <summary>
/// A DynamoDB filter (condition) expression, parsed once and evaluated on items on this side: comparisons
/// (<c>= &lt;&gt; &lt; &lt;= &gt; &gt;=</c>), <c>BETWEEN</c>, <c>IN</c>, <c>AND</c>/<c>OR</c>/<c>NOT</c>, parentheses and the
/// functions <c>attribute_exists</c>, <c>attribute_not_exists</c>, <c>attribute_type</c>, <c>begins_with</c>,
/// <c>contains</c> and <c>size</c>, with DynamoDB's precedence. A comparison with a missing attribute, or with a value
/// of another type, is false, except <c>&lt;&gt;</c>, which is true then (as DynamoDB Local answers). A copy or export leaves the filter to the Scan; the import of files uses this.
/// Written by hand: no package here evaluates DynamoDB's expression language.
/// </summary>
public sealed partial class FilterExpression
{
    private readonly Func<IReadOnlyDictionary<string, AttributeValue>, bool> _test;

    private FilterExpression(string text, Func<IReadOnlyDictionary<string, AttributeValue>, bool> test)
    {
        Text = text;
        _test = test;
    }

    public string Text { get; }

    public bool Matches(IReadOnlyDictionary<string, AttributeValue> item) => _test(item);

    /// <exception cref="FormatException">Not a valid expression, or a placeholder it uses is not given; the message says where.</exception>
    public static FilterExpression Parse(string text, IReadOnlyDictionary<string, string>? names, IReadOnlyDictionary<string, AttributeValue>? values)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(new ExpressionTokens(text) { RefuseReservedWords = true }, names, values ?? new Dictionary<string, AttributeValue>());
        var test = parser.Or();
        return parser.Tokens.AtEnd ? new FilterExpression(text, test) : throw parser.Tokens.Error("unexpected text");
    }

    private delegate AttributeValue? Operand(IReadOnlyDictionary<string, AttributeValue> item);
}
