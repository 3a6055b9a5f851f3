using System.Globalization;

namespace DdbCopy.Core.Shaping;

/// <summary>
/// Reads the tokens of a DynamoDB expression: names (with dots and list indexes, as paths), <c>#names</c>,
/// <c>:values</c>, comparison operators, parentheses and commas. Keywords are names compared without case.
/// </summary>
internal sealed class ExpressionTokens(string text)
{
    private int _at;

    public bool AtEnd
    {
        get
        {
            SkipSpace();
            return _at >= text.Length;
        }
    }

    public string Rest => text[_at..];

    /// <summary>The next word (a name or keyword) without reading it; null when the next token is not a word.</summary>
    public string? PeekWord()
    {
        SkipSpace();
        var end = _at;
        while (end < text.Length && IsNameChar(text[end]))
        {
            end++;
        }

        return end > _at ? text[_at..end] : null;
    }

    public bool TryKeyword(string keyword)
    {
        var word = PeekWord();
        if (word is null || !word.Equals(keyword, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        _at += word.Length;
        return true;
    }

    public bool TrySymbol(string symbol)
    {
        SkipSpace();
        if (string.CompareOrdinal(text, _at, symbol, 0, symbol.Length) != 0)
        {
            return false;
        }

        _at += symbol.Length;
        return true;
    }

    public void Expect(string symbol)
    {
        if (!TrySymbol(symbol))
        {
            throw Error($"expected '{symbol}'");
        }
    }

    public char Peek()
    {
        SkipSpace();
        return _at < text.Length ? text[_at] : '\0';
    }

    /// <summary>A <c>:value</c> placeholder's name (with the colon).</summary>
    public string ReadValueName()
    {
        SkipSpace();
        var start = _at;
        _at++; // the colon
        while (_at < text.Length && IsNameChar(text[_at]))
        {
            _at++;
        }

        return _at - start > 1 ? text[start.._at] : throw Error("expected a value name after ':'");
    }

    private const int MaxNesting = 32;

    /// <summary>
    /// Read as DynamoDB reads an expression: a name that is one of its reserved words is refused, and so is a path
    /// nested more than <see cref="MaxNesting"/> levels deep.
    /// </summary>
    public bool RefuseReservedWords { get; init; }

    public AttributePath ReadPath(IReadOnlyDictionary<string, string>? names)
    {
        var steps = new List<PathStep> { PathStep.Member(ReadName(names)) };
        while (true)
        {
            if (TrySymbol("."))
            {
                steps.Add(PathStep.Member(ReadName(names)));
            }
            else if (TrySymbol("["))
            {
                SkipSpace();
                var start = _at;
                while (_at < text.Length && char.IsAsciiDigit(text[_at]))
                {
                    _at++;
                }

                if (!int.TryParse(text.AsSpan(start, _at - start), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    throw Error("expected a list index");
                }

                Expect("]");
                steps.Add(PathStep.Element(index));
            }
            else
            {
                return RefuseReservedWords && steps.Count > MaxNesting
                    ? throw new FormatException($"the path {new AttributePath(steps)} is nested {steps.Count} levels deep: DynamoDB takes at most {MaxNesting}")
                    : new AttributePath(steps);
            }
        }
    }

    public FormatException Error(string what) =>
        new($"{what} at position {_at + 1} of \"{text}\"");

    private string ReadName(IReadOnlyDictionary<string, string>? names)
    {
        SkipSpace();
        var placeholder = _at < text.Length && text[_at] == '#';
        var start = placeholder ? ++_at : _at;
        while (_at < text.Length && IsNameChar(text[_at]))
        {
            _at++;
        }

        if (_at == start)
        {
            throw Error("expected an attribute name");
        }

        var name = text[start.._at];
        if (!placeholder)
        {
            return RefuseReservedWords && ReservedWords.Contains(name)
                ? throw new FormatException($"the attribute name '{name}' is a reserved word in DynamoDB's expressions: write it as #{name} with --expressionAttributeNames '{{\"#{name}\":\"{name}\"}}'")
                : name;
        }

        return names is not null && names.TryGetValue("#" + name, out var real)
            ? real
            : throw new FormatException($"#{name} is not defined in --expressionAttributeNames");
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private void SkipSpace()
    {
        while (_at < text.Length && char.IsWhiteSpace(text[_at]))
        {
            _at++;
        }
    }
}
