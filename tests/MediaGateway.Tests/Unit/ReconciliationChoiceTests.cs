using CsCheck;
using MediaGateway.Publishing;

namespace MediaGateway.Tests.Unit;

/// <summary>
/// <see cref="Reconciled.Choose"/>, the one rule for "which post on the platform is this publication's" (decision 22):
/// never another's, never one made before the publication existed, never a guess between several or against another
/// unresolved send of the same content.
/// </summary>
public sealed class ReconciliationChoiceTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(2);

    private static PostCandidate Post(string id, double secondsAfterCreation, string? heldBy = null) =>
        new(id, null, Created.AddSeconds(secondsAfterCreation), "text", heldBy);

    [Fact]
    public void ThePostListedTwice_IsOneCandidate_NotSeveral() =>
        // Seen in a CI run of KillMidFanOutTests: the same article_id twice in the lookup asked a person to choose between it and itself.
        Assert.IsType<Reconciled.Mine>(Reconciled.Choose("p1", Created, Skew, [Post("a", 5), Post("a", 5)], []));

    [Fact]
    public void APostHeldByAnother_IsNeverChosen_EvenWhenItIsTheOnlyOne()
    {
        Assert.IsType<Reconciled.None>(Reconciled.Choose("p1", Created, Skew, [Post("a", 5, heldBy: "p0")], []));
    }

    [Fact]
    public void APostMadeBeforeThePublicationExisted_IsNeverChosen()
    {
        Assert.IsType<Reconciled.None>(Reconciled.Choose("p1", Created, Skew, [Post("a", -60)], []));
        Assert.IsType<Reconciled.Mine>(Reconciled.Choose("p1", Created, Skew, [Post("a", -1)], [])); // within the clock skew
    }

    [Fact]
    public void ItsOwnPost_IsChosen_WhateverElseIsFound()
    {
        var chosen = Reconciled.Choose("p1", Created, Skew, [Post("a", 5), Post("b", 6, heldBy: "p1"), Post("c", 7)], [Created.AddSeconds(1)]);
        Assert.Equal("b", Assert.IsType<Reconciled.Mine>(chosen).Post.PlatformId);
    }

    [Fact]
    public void TwoFreePosts_AreNeverPickedBetween()
    {
        var chosen = Reconciled.Choose("p1", Created, Skew, [Post("a", 5), Post("b", 6)], []);
        Assert.Equal(2, Assert.IsType<Reconciled.Several>(chosen).Candidates.Count);
    }

    [Fact]
    public void AnotherUnresolvedSendStartedBeforeThePost_MakesItShared_ButOneStartedAfterItDoesNot()
    {
        Assert.IsType<Reconciled.Shared>(Reconciled.Choose("p1", Created, Skew, [Post("a", 10)], [Created.AddSeconds(9)]));
        Assert.IsType<Reconciled.Mine>(Reconciled.Choose("p1", Created, Skew, [Post("a", 10)], [Created.AddSeconds(30)]));
    }

    [Fact]
    public void Property_TheChoiceIsAlwaysOneOfTheFreeCandidatesOrItsOwn_AndNeverAGuess()
    {
        var candidates = Gen.Select(Gen.Int[0, 5], Gen.Double[-120, 120], Gen.Int[0, 4].Select(i => i switch { 0 or 1 => null, 2 => "p0", 3 => "p1", _ => (string?)"p2" }))
            .Select((id, seconds, holder) => Post($"post{id}", seconds, holder)).Array[0, 6]
            .Select(posts => posts.DistinctBy(p => p.PlatformId).ToArray());
        var others = Gen.Double[-60, 180].Select(s => Created.AddSeconds(s)).Array[0, 3];
        Gen.Select(candidates, others).Sample((found, otherSends) =>
        {
            var chosen = Reconciled.Choose("p1", Created, Skew, found, otherSends);
            var own = found.Where(f => f.HeldBy == "p1").ToList();
            var free = found.Where(f => f.HeldBy is null && f.CreatedAt >= Created - Skew).ToList();
            switch (chosen)
            {
                case Reconciled.Mine mine when own.Count > 0:
                    Assert.Equal("p1", mine.Post.HeldBy);
                    break;
                case Reconciled.Mine mine:
                    // Only the single free candidate, and only when no other unresolved send could have made it.
                    Assert.Equal(free.Single(), mine.Post);
                    Assert.DoesNotContain(otherSends, s => s <= mine.Post.CreatedAt + Skew);
                    break;
                case Reconciled.Shared shared:
                    Assert.Empty(own);
                    Assert.Equal(free.Single(), shared.Post);
                    Assert.Contains(otherSends, s => s <= shared.Post.CreatedAt + Skew);
                    break;
                case Reconciled.Several several:
                    Assert.Empty(own);
                    Assert.True(several.Candidates.Count >= 2);
                    Assert.All(several.Candidates, c => Assert.Contains(c, free));
                    break;
                default:
                    Assert.IsType<Reconciled.None>(chosen);
                    Assert.Empty(own);
                    Assert.Empty(free);
                    break;
            }
        });
    }
}
