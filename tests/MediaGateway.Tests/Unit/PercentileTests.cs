using CsCheck;
using MediaGateway.Reports;

namespace MediaGateway.Tests.Unit;

/// <summary>Percentiles for review turnaround (P17): the spreadsheet definition, checked on known values and as properties.</summary>
public sealed class PercentileTests
{
    [Fact]
    public void KnownValues_MatchTheSpreadsheetDefinition()
    {
        double[] hours = [1, 2, 3, 4, 10];
        Assert.Equal(3, Percentiles.Median(hours));
        Assert.Equal(7.6, Percentiles.Of(hours, 90)!.Value, 10);   // PERCENTILE.INC({1,2,3,4,10}, 0.9)
        Assert.Equal(2.5, Percentiles.Median([4, 1, 3, 2]));
        Assert.Equal(5, Percentiles.Of([5], 90));
        Assert.Null(Percentiles.Median([]));
    }

    [Fact]
    public void APercentile_LiesWithinTheValues_AndGrowsWithP() =>
        Gen.Select(Gen.Double[0, 1000].Array[1, 40], Gen.Double[0, 100], Gen.Double[0, 100]).Sample((values, p, q) =>
        {
            var (lo, hi) = p <= q ? (p, q) : (q, p);
            var a = Percentiles.Of(values, lo)!.Value;
            var b = Percentiles.Of(values, hi)!.Value;
            return a >= values.Min() && b <= values.Max() && a <= b + 1e-9
                && Percentiles.Of(values, 0) == values.Min() && Percentiles.Of(values, 100) == values.Max();
        });

    [Fact]
    public void APercentile_DoesNotDependOnOrder() =>
        Gen.Select(Gen.Double[0, 1000].Array[1, 40], Gen.Double[0, 100]).Sample((values, p) =>
            Percentiles.Of(values, p) == Percentiles.Of(values.Reverse(), p));

    [Theory]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("-3", "-3")]
    [InlineData("-x", "'-x")]
    [InlineData("他说\"好\"", "\"他说\"\"好\"\"\"")]
    public void CsvCells_AreQuoted_AndNeverFormulas(string cell, string expected) => Assert.Equal(expected, AssessmentCsv.Escape(cell));
}
