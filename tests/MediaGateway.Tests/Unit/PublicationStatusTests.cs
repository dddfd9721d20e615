using CsCheck;
using MediaGateway.Platforms;
using MediaGateway.Publishing;

namespace MediaGateway.Tests.Unit;

/// <summary>The displayed status of a publication and the roll-up of an item's publications (issue 18): pure functions of the stored state.</summary>
public sealed class PublicationStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 2, 13, 6, 0, 0, TimeSpan.Zero); // 14:00 China time, Friday 13 Feb 2026

    private static readonly string[] Labels = ["已排期", "等待中", "发布中", "已发布", "发布失败", "已撤回", "待人工确认", "已取消"];

    private static Publication Pub(PublicationState state, string account = "wx-city") => new()
    {
        Id = Publication.IdFor("c1", 1, account), ContentId = "c1", Revision = 1, AccountId = account,
        Platform = account.StartsWith("wb", StringComparison.Ordinal) ? Platform.Weibo : Platform.WeChat,
        ApprovedFingerprint = "sha256:x", State = state, CreatedAt = Now.AddHours(-1),
    };

    private static readonly PublicationError Stale = new("Transient", "10001", "system error", "平台系统繁忙，稍后重试");

    private static readonly Gen<DateTimeOffset?> Time = Gen.Int[-3000, 3000].Select(m => Now.AddMinutes(m)).Nullable();

    private static readonly Gen<Publication> Any = Gen.Select(
        Gen.Enum<PublicationState>(), Gen.Enum<RetractionState>().Nullable(), Gen.Enum<WaitKind>().Nullable(), Time, Time, Gen.Bool, Gen.Bool,
        Gen.OneOf(Gen.Const("wx-city"), Gen.Const("wb-city")),
        (state, retraction, wait, retractedAt, until, sendStarted, erred, account) => Pub(state, account) with
        {
            Retraction = retraction, RetractedAt = retraction == RetractionState.Retracted ? retractedAt ?? Now : null,
            Waiting = wait is { } kind ? new PublicationWait(kind, "reason", until) : null,
            SendStartedAt = sendStarted ? Now.AddMinutes(-2) : null,
            Error = erred ? Stale : null,
            PublishedAt = state == PublicationState.Published ? Now.AddMinutes(-30) : null,
            Url = state == PublicationState.Published ? "https://mp.weixin.qq.com/s/x" : null,
            Decision = state == PublicationState.NeedsDecision ? new PublicationDecision(DecisionKind.SeveralCandidates, "平台上有两条可能的微博", Now, []) : null,
        });

    [Fact]
    public void ARetractedPost_IsRetracted_AndNotLive_WhateverElseIsStored() =>
        Any.Select(p => p with { Retraction = RetractionState.Retracted, RetractedAt = Now }).Sample(p =>
        {
            var status = PublicationStatus.Of(p, Now);
            Assert.Equal(DisplayStatus.Retracted, status.Code);
            Assert.False(status.Live);
            Assert.Equal("已撤回", status.Label);
            Assert.Equal("撤回于 14:00", status.Detail);
        });

    [Fact]
    public void APostIsLive_ExactlyWhenPublished_AndNotRetracted() =>
        Any.Sample(p => Assert.Equal(p.State == PublicationState.Published && p.Retraction != RetractionState.Retracted, PublicationStatus.Of(p, Now).Live));

    [Fact]
    public void APublishedPost_NeverShowsAnEarlierAttemptsError() =>
        Any.Select(p => p with { State = PublicationState.Published, Error = Stale }).Sample(p =>
        {
            var status = PublicationStatus.Of(p, Now);
            Assert.DoesNotContain(Stale.Explanation, status.Text, StringComparison.Ordinal);
            Assert.NotEqual(DisplayStatus.Failed, status.Code);
        });

    [Fact]
    public void EveryStatus_IsOneOfTheWords_AndNoEnumNameIsShown() =>
        Any.Sample(p =>
        {
            var status = PublicationStatus.Of(p, Now);
            Assert.Contains(status.Label, Labels);
            Assert.Equal(PublicationStatusView.LabelOf(status.Code), status.Label);
            foreach (var name in Enum.GetNames<PublicationState>().Concat(Enum.GetNames<WaitKind>()).Concat(Enum.GetNames<RetractionState>()))
            {
                Assert.DoesNotContain(name, status.Text, StringComparison.Ordinal);
            }
        });

    [Fact]
    public void AWaitingPublication_SaysWhy_AndUntilWhen_InChinaTime()
    {
        var checking = Pub(PublicationState.Queued) with
        {
            SendStartedAt = Now.AddMinutes(-1), Waiting = new PublicationWait(WaitKind.CheckingPlatform, "outcome unknown", Now.AddMinutes(5)),
        };
        var status = PublicationStatus.Of(checking, Now);
        Assert.Equal(DisplayStatus.Waiting, status.Code);
        Assert.Equal("正在向平台核实，至 14:05", status.Detail);
        Assert.Equal(WaitKind.CheckingPlatform, status.WaitKind);
        Assert.Equal("等待中（正在向平台核实，至 14:05）", status.Text);

        var quota = Pub(PublicationState.Queued) with { Waiting = new PublicationWait(WaitKind.Quota, "45009", new DateTimeOffset(2026, 2, 13, 16, 0, 0, TimeSpan.Zero)) };
        Assert.Equal("今日群发次数已用完，至 2月14日 00:00", PublicationStatus.Of(quota, Now).Detail);
        Assert.Equal("已暂停", PublicationStatus.Of(Pub(PublicationState.Scheduled) with { Waiting = new PublicationWait(WaitKind.Paused, "x", null) }, Now).Detail);
        Assert.Equal("账号已停用", PublicationStatus.Of(Pub(PublicationState.Queued) with { Waiting = new PublicationWait(WaitKind.AccountSuspended, "x", null) }, Now).Detail);
    }

    [Theory]
    [InlineData(nameof(PublicationState.Scheduled), false, nameof(DisplayStatus.Scheduled))]
    [InlineData(nameof(PublicationState.Scheduled), true, nameof(DisplayStatus.Publishing))]
    [InlineData(nameof(PublicationState.Queued), false, nameof(DisplayStatus.Publishing))]
    [InlineData(nameof(PublicationState.Submitted), false, nameof(DisplayStatus.Publishing))]
    [InlineData(nameof(PublicationState.Published), false, nameof(DisplayStatus.Published))]
    [InlineData(nameof(PublicationState.Failed), true, nameof(DisplayStatus.Failed))]
    [InlineData(nameof(PublicationState.NeedsDecision), true, nameof(DisplayStatus.NeedsDecision))]
    [InlineData(nameof(PublicationState.Cancelled), false, nameof(DisplayStatus.Cancelled))]
    public void EachStoredState_HasItsWord(string state, bool sendStarted, string expected) =>
        Assert.Equal(Enum.Parse<DisplayStatus>(expected), PublicationStatus.Of(Pub(Enum.Parse<PublicationState>(state)) with { SendStartedAt = sendStarted ? Now : null }, Now).Code);

    [Fact]
    public void AFailure_SaysWhy_AndAPublishedPostUnderRetraction_StaysLive()
    {
        Assert.Equal(Stale.Explanation, PublicationStatus.Of(Pub(PublicationState.Failed) with { Error = Stale }, Now).Detail);
        var retracting = PublicationStatus.Of(Pub(PublicationState.Published) with { Retraction = RetractionState.Queued }, Now);
        Assert.Equal((DisplayStatus.Published, true, "正在撤回"), (retracting.Code, retracting.Live, retracting.Detail));
    }

    [Fact]
    public void OneFailedAndOnePublished_IsPartlyPublished_NeverPublished()
    {
        var rollup = PublicationRollups.Of([Pub(PublicationState.Published), Pub(PublicationState.Failed, "wb-city") with { Error = Stale }], Now)!;
        Assert.Equal(PublicationRollup.PartlyPublished, rollup.Status);
        Assert.Equal("部分发布（1/2） · 发布失败 1", rollup.Label);
        Assert.Equal(1, rollup.Published);
        Assert.Equal(DisplayStatus.Failed, rollup.Accounts.Single(a => a.AccountId == "wb-city").Status);
    }

    [Fact]
    public void TheRollup_LeadsWithWhatIsStillMoving_AndNamesTheRest()
    {
        Assert.Equal("发布中 1/2 · 已发布 1/2", PublicationRollups.Of([Pub(PublicationState.Published), Pub(PublicationState.Queued, "wb-city")], Now)!.Label);
        Assert.Equal("已撤回", PublicationRollups.Of([Pub(PublicationState.Published) with { Retraction = RetractionState.Retracted }], Now)!.Label);
        Assert.Equal("部分发布（1/2） · 已撤回 1",
            PublicationRollups.Of([Pub(PublicationState.Published), Pub(PublicationState.Published, "wb-city") with { Retraction = RetractionState.Retracted }], Now)!.Label);
        Assert.Equal("已发布", PublicationRollups.Of([Pub(PublicationState.Published), Pub(PublicationState.Published, "wb-city")], Now)!.Label);
        Assert.Null(PublicationRollups.Of([], Now));
    }

    [Fact]
    public void TheRollup_SaysPublished_OnlyWhenEveryPostIsLive_AndCountsEveryPublication() =>
        Any.List[1, 6].Sample(pubs =>
        {
            var rollup = PublicationRollups.Of(pubs, Now)!;
            var live = pubs.Count(p => PublicationStatus.Of(p, Now).Live);
            Assert.Equal(pubs.Count, rollup.Counts.Values.Sum());
            Assert.Equal(pubs.Count, rollup.Total);
            Assert.Equal(live == pubs.Count, rollup.Status == "published");
            Assert.Equal(live == pubs.Count, rollup.Label == "已发布");
            if (rollup.Status == PublicationRollup.PartlyPublished) Assert.InRange(live, 1, pubs.Count - 1);
            if (live < pubs.Count && live > 0) Assert.Contains($"{live}/{pubs.Count}", rollup.Label, StringComparison.Ordinal);
        });
}
