using static MediaGateway.Observability.IdleMemoryTrim;

namespace MediaGateway.Tests.Unit;

/// <summary>When a quiet gateway gives memory back (decision 20): only when quiet, and only when there is enough to give.</summary>
public sealed class IdleMemoryTrimTests
{
    private const long Mb = 1024 * 1024;
    private const long Threshold = 64 * Mb;
    private static readonly Sample AtStart = new(50 * Mb, 15 * Mb, 40 * Mb);

    [Fact]
    public void QuietAfterABurst_Trims()
    {
        // The burst left 250 MB on the heap, 300 MB committed; 2 MB allocated in the last interval.
        Assert.True(ShouldTrim(new Sample(10_000 * Mb, 250 * Mb, 300 * Mb), new Sample(10_002 * Mb, 252 * Mb, 300 * Mb), AtStart, Threshold));
    }

    [Fact]
    public void QuietWithGarbageNotYetCollected_Trims()
    {
        // A periodic scan allocated 80 MB and no collection followed: committed is unchanged, the heap holds it.
        Assert.True(ShouldTrim(new Sample(10_000 * Mb, 100 * Mb, 40 * Mb), new Sample(10_001 * Mb, 101 * Mb, 40 * Mb), AtStart, Threshold));
    }

    [Fact]
    public void StillBusy_DoesNotTrim()
    {
        // 500 MB allocated in the interval: the burst goes on, and the GC collects on its own.
        Assert.False(ShouldTrim(new Sample(10_000 * Mb, 250 * Mb, 300 * Mb), new Sample(10_500 * Mb, 250 * Mb, 300 * Mb), AtStart, Threshold));
    }

    [Fact]
    public void QuietWithLittleToGiveBack_DoesNotTrim()
    {
        // 30 MB more heap and committed memory than after the last trim: a working set, not a burst's leftovers.
        var afterTrim = new Sample(9_000 * Mb, 70 * Mb, 100 * Mb);
        Assert.False(ShouldTrim(new Sample(10_000 * Mb, 100 * Mb, 130 * Mb), new Sample(10_001 * Mb, 100 * Mb, 130 * Mb), afterTrim, Threshold));
    }

    [Fact]
    public void AtTheThresholds_TheBoundariesHold()
    {
        var before = new Sample(1_000 * Mb, 0, 0);
        var baseline = new Sample(0, 100 * Mb, 100 * Mb);
        Assert.True(ShouldTrim(before, new Sample(1_000 * Mb + Threshold - 1, 164 * Mb, 0), baseline, Threshold));
        Assert.True(ShouldTrim(before, new Sample(1_000 * Mb, 0, 164 * Mb), baseline, Threshold));
        Assert.False(ShouldTrim(before, new Sample(1_000 * Mb + Threshold, 164 * Mb, 164 * Mb), baseline, Threshold));
        Assert.False(ShouldTrim(before, new Sample(1_000 * Mb, 164 * Mb - 1, 164 * Mb - 1), baseline, Threshold));
    }

    [Fact]
    public void TheBar_IsTheLowestSeenSinceTheLastTrim()
    {
        var floor = new Sample(10, 200 * Mb, 90 * Mb).Floor(new Sample(20, 120 * Mb, 150 * Mb));
        Assert.Equal(120 * Mb, floor.HeapBytes);
        Assert.Equal(90 * Mb, floor.CommittedBytes);
    }
}
