using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Items;

namespace DdbCopy.Core.Shaping;

/// <summary>The parser: tokens to a test of items, in DynamoDB's precedence.</summary>
public sealed partial class FilterExpression
{
    private sealed class Parser(ExpressionTokens tokens, IReadOnlyDictionary<string, string>? names, IReadOnlyDictionary<string, AttributeValue> values)
    {
        private static readonly string[] Comparators = ["<>", "<=", ">=", "=", "<", ">"];

        /// <summary>The operands that are :values, with their values (by reference: each is its own delegate).</summary>
        private readonly Dictionary<Operand, AttributeValue> _given = new(ReferenceEqualityComparer.Instance);

        /// <summary>The operands that are paths, with the path they name (placeholders resolved).</summary>
        private readonly Dictionary<Operand, string> _paths = new(ReferenceEqualityComparer.Instance);

        /// <summary>IN takes 100 operands, the left one included (DynamoDB Local refuses 100 values: "number of operands: 101").</summary>
        private const int MaxInValues = 99;

        private static readonly string[] ValidTypes = ["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"];

        public ExpressionTokens Tokens => tokens;

        public Func<IReadOnlyDictionary<string, AttributeValue>, bool> Or()
        {
            var left = And();
            while (tokens.TryKeyword("OR"))
            {
                var (a, b) = (left, And());
                left = item => a(item) || b(item);
            }

            return left;
        }

        private Func<IReadOnlyDictionary<string, AttributeValue>, bool> And()
        {
            var left = Not();
            while (tokens.TryKeyword("AND"))
            {
                var (a, b) = (left, Not());
                left = item => a(item) && b(item);
            }

            return left;
        }

        private Func<IReadOnlyDictionary<string, AttributeValue>, bool> Not()
        {
            if (tokens.TryKeyword("NOT"))
            {
                var inner = Not();
                return item => !inner(item);
            }

            return Primary();
        }

        private Func<IReadOnlyDictionary<string, AttributeValue>, bool> Primary()
        {
            if (tokens.TrySymbol("("))
            {
                var inner = Or();
                tokens.Expect(")");
                return inner;
            }

            if (Function() is { } function)
            {
                return function;
            }

            var left = Value();
            foreach (var comparator in Comparators)
            {
                if (tokens.TrySymbol(comparator))
                {
                    var right = Value();
                    CheckDistinct(comparator, left, right);
                    if (comparator is not ("=" or "<>"))
                    {
                        CheckOrderable(comparator, left, right);
                    }

                    return Comparison(comparator, left, right);
                }
            }

            if (tokens.TryKeyword("BETWEEN"))
            {
                var low = Value();
                if (!tokens.TryKeyword("AND"))
                {
                    throw tokens.Error("expected AND in BETWEEN");
                }

                var high = Value();
                CheckDistinct("BETWEEN", left, low, high);
                CheckOrderable("BETWEEN", left, low, high);
                CheckBounds(low, high);
                return item => left(item) is { } v && low(item) is { } l && high(item) is { } h
                    && AttributeValues.Compare(v, l) >= 0 && AttributeValues.Compare(v, h) <= 0;
            }

            if (tokens.TryKeyword("IN"))
            {
                tokens.Expect("(");
                var choices = new List<Operand> { Value() };
                while (tokens.TrySymbol(","))
                {
                    choices.Add(Value());
                }

                tokens.Expect(")");
                CheckDistinct("IN", [left, .. choices]);
                if (choices.Count > MaxInValues)
                {
                    throw new FormatException($"IN takes at most {MaxInValues} values (got {choices.Count}), as DynamoDB has it");
                }

                return item => left(item) is { } v && choices.Any(c => c(item) is { } choice && AttributeValues.AreEqual(v, choice));
            }

            throw tokens.Error("expected a comparison, BETWEEN, IN or a function");
        }

        /// <summary>Numbers DynamoDB can hold: at most 38 significant digits, magnitudes from 1E-130 to below 1E+126.</summary>
        private static void CheckNumbers(string name, AttributeValue value)
        {
            foreach (var number in value.N is { } n ? [n] : value.NS ?? [])
            {
                var canonical = Items.CanonicalItem.Number(number);
                if (canonical.StartsWith('?'))
                {
                    throw new FormatException($"{name}: '{number}' is not a number");
                }

                if (canonical == "0")
                {
                    continue;
                }

                var e = canonical.IndexOf('e', StringComparison.Ordinal);
                var digits = e - (canonical.StartsWith('-') ? 1 : 0);
                var magnitude = digits - 1 + long.Parse(canonical.AsSpan(e + 1), System.Globalization.CultureInfo.InvariantCulture);
                if (digits > 38 || magnitude is > 125 or < -130)
                {
                    throw new FormatException($"{name}: {number} is out of DynamoDB's range for numbers (38 digits, 1E-130 to 9.99E+125)");
                }
            }
        }

        /// <summary>DynamoDB refuses an operator whose operands repeat the first one (<c>n = n</c>): the condition says nothing.</summary>
        private void CheckDistinct(string what, params Operand[] operands)
        {
            if (_paths.TryGetValue(operands[0], out var first) && operands.Skip(1).Any(o => _paths.TryGetValue(o, out var other) && other == first))
            {
                throw new FormatException($"{what}: the first operand ({first}) must be distinct from the others, as DynamoDB has it");
            }
        }

        /// <summary>Ordering (&lt;, &lt;=, &gt;, &gt;=, BETWEEN) applies to numbers, strings and binaries: DynamoDB refuses a value of another type.</summary>
        private void CheckOrderable(string what, params Operand[] operands)
        {
            foreach (var operand in operands)
            {
                if (_given.TryGetValue(operand, out var value) && AttributeValues.TypeOf(value) is not ("N" or "S" or "B") and var type)
                {
                    throw new FormatException($"{what} compares numbers, strings or binaries, not {type}, as DynamoDB has it");
                }
            }
        }

        /// <summary>Bounds given as values must be of one type and in order: DynamoDB refuses BETWEEN :hi AND :lo (it would select nothing).</summary>
        private void CheckBounds(Operand low, Operand high)
        {
            if (!_given.TryGetValue(low, out var lower) || !_given.TryGetValue(high, out var upper))
            {
                return;
            }

            if (AttributeValues.TypeOf(lower) != AttributeValues.TypeOf(upper))
            {
                throw new FormatException($"BETWEEN needs bounds of one type (got {AttributeValues.TypeOf(lower)} and {AttributeValues.TypeOf(upper)}), as DynamoDB does");
            }

            if (AttributeValues.Compare(lower, upper) is > 0)
            {
                throw new FormatException("BETWEEN's lower bound is greater than its upper bound (DynamoDB refuses it: it would select nothing); swap them");
            }
        }

        private static Func<IReadOnlyDictionary<string, AttributeValue>, bool> Comparison(string comparator, Operand left, Operand right) => comparator switch
        {
            "=" => item => left(item) is { } a && right(item) is { } b && AttributeValues.AreEqual(a, b),
            "<>" => item => !(left(item) is { } a && right(item) is { } b && AttributeValues.AreEqual(a, b)), // true for a missing attribute, as DynamoDB has it
            _ => item => left(item) is { } a && right(item) is { } b && AttributeValues.Compare(a, b) is { } order && comparator switch
            {
                "<" => order < 0,
                "<=" => order <= 0,
                ">" => order > 0,
                _ => order >= 0,
            },
        };

        /// <summary>A condition function, or null when the next word is not one.</summary>
        private Func<IReadOnlyDictionary<string, AttributeValue>, bool>? Function()
        {
            var word = tokens.PeekWord()?.ToLowerInvariant();
            if (word is not ("attribute_exists" or "attribute_not_exists" or "attribute_type" or "begins_with" or "contains"))
            {
                return null;
            }

            tokens.TryKeyword(word);
            tokens.Expect("(");
            var path = tokens.ReadPath(names);
            Operand? argument = null;
            if (word is "attribute_type" or "begins_with" or "contains")
            {
                tokens.Expect(",");
                argument = Value();
            }

            tokens.Expect(")");
            if (word == "attribute_type" && _given.TryGetValue(argument!, out var typeName) && (typeName.S is not { } type || !ValidTypes.Contains(type)))
            {
                throw new FormatException($"attribute_type: '{typeName.S ?? AttributeValues.TypeOf(typeName)}' is not a type name (one of {string.Join(", ", ValidTypes)}), as DynamoDB has it");
            }

            if (word == "begins_with" && _given.TryGetValue(argument!, out var prefixValue) && AttributeValues.TypeOf(prefixValue) is not ("S" or "B"))
            {
                throw new FormatException($"begins_with needs a string or binary prefix, not {AttributeValues.TypeOf(prefixValue)}, as DynamoDB has it");
            }

            return word switch
            {
                "attribute_exists" => item => path.Find(item) is not null,
                "attribute_not_exists" => item => path.Find(item) is null,
                "attribute_type" => item => path.Find(item) is { } v && argument!(item) is { S: { } type } && AttributeValues.TypeOf(v) == type,
                "begins_with" => item => path.Find(item) is { } v && argument!(item) is { } prefix && BeginsWith(v, prefix),
                _ => item => path.Find(item) is { } v && argument!(item) is { } part && Contains(v, part),
            };
        }

        /// <summary>An operand: a :value, size(path) or a path.</summary>
        private Operand Value()
        {
            if (tokens.Peek() == ':')
            {
                var name = tokens.ReadValueName();
                var value = values.TryGetValue(name, out var given) ? given : throw new FormatException($"{name} is not defined in --expressionAttributeValues");
                CheckNumbers(name, value);
                Operand operand = _ => value;
                _given[operand] = value;
                return operand;
            }

            if (tokens.PeekWord() is { } word && word.Equals("size", StringComparison.OrdinalIgnoreCase))
            {
                tokens.TryKeyword("size");
                tokens.Expect("(");
                var sized = tokens.ReadPath(names);
                tokens.Expect(")");
                return item => sized.Find(item) is { } v && AttributeValues.Size(v) is { } size
                    ? new AttributeValue { N = size.ToString(System.Globalization.CultureInfo.InvariantCulture) }
                    : null;
            }

            var path = tokens.ReadPath(names);
            Operand found = item => path.Find(item);
            _paths[found] = path.ToString();
            return found;
        }

        private static bool BeginsWith(AttributeValue value, AttributeValue prefix) =>
            value.S is not null && prefix.S is not null ? value.S.StartsWith(prefix.S, StringComparison.Ordinal)
            : value.B is not null && prefix.B is not null && value.B.ToArray().AsSpan().StartsWith(prefix.B.ToArray());

        private static bool Contains(AttributeValue value, AttributeValue part)
        {
            if (value.S is not null) return part.S is not null && value.S.Contains(part.S, StringComparison.Ordinal);
            if (value.B is not null) return part.B is not null && value.B.ToArray().AsSpan().IndexOf(part.B.ToArray()) >= 0;
            if (value.SS is not null) return part.S is not null && value.SS.Contains(part.S, StringComparer.Ordinal);
            if (value.NS is not null) return part.N is not null && value.NS.Any(n => AttributeValues.CompareNumbers(n, part.N) == 0);
            if (value.BS is not null) return part.B is not null && value.BS.Any(b => b.ToArray().AsSpan().SequenceEqual(part.B.ToArray()));
            if (value.L is not null) return value.L.Any(e => AttributeValues.AreEqual(e, part));
            return false;
        }
    }
}
