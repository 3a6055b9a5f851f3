using DdbCopy.Core.Items;

namespace DdbCopy.Tests.Items;

public sealed class RecordTextTests
{
    private static readonly string Message = $"row (id={RecordText.Detail("42")}): column 'age': {RecordText.Value("old")} is not a number";

    [Fact]
    public void Show_QuotesValues_AndShowsDetailsAsTheyAre() =>
        Assert.Equal("row (id=42): column 'age': 'old' is not a number", RecordText.Show(Message));

    [Fact]
    public void Withhold_LeavesOutEveryValue_AndKeepsTheRest()
    {
        var shown = RecordText.Withhold(Message);

        Assert.Equal("row (id=(details withheld: --mask)): column 'age': (a value, withheld: --mask) is not a number", shown);
        Assert.DoesNotContain("42", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("old", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void AValueHoldingTheMarkers_CannotEndItsMarkEarly() =>
        Assert.DoesNotContain("secret", RecordText.Withhold(RecordText.Value("x\u0003secret")), StringComparison.Ordinal);
}
