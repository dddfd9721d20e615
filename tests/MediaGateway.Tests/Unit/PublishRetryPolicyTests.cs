using CsCheck;
using MediaGateway.Hosting;
using MediaGateway.Platforms;
using MediaGateway.Platforms.WeChat;
using MediaGateway.Platforms.Weibo;
using MediaGateway.Publishing;

namespace MediaGateway.Tests.Unit;

/// <summary>
/// <see cref="PublishRetryPolicy"/>, the publishing pipeline's retry decisions, without I/O (decision 33): every error
/// class and flag, attempt and time, and the codes whose meaning is more than their class (45066, 53600, 20101, 20102)
/// as MediaGateway.Platforms classifies them.
/// </summary>
public sealed class PublishRetryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 58, 30, TimeSpan.Zero); // 11:58:30 in China
    private static readonly PublishingOptions Options = new() { MaxAttempts = 8, RetryBaseSeconds = 2, OutcomePollMilliseconds = 1000 };

    private static readonly Gen<PlatformException> Errors =
        Gen.Select(Gen.Enum<PlatformErrorClass>(), Gen.Bool, Gen.Bool, Gen.Bool, Gen.Int[0, 7200].Select(s => TimeSpan.FromSeconds(s)).Nullable(0.5),
            Gen.Enum<Platform>(), (c, unknown, limitsAccount, gone, retryAfter, platform) =>
                new PlatformException(platform, "x", "message", c, "explanation", retryAfter, unknown)
                {
                    LimitsAccount = limitsAccount && c is PlatformErrorClass.RateLimited or PlatformErrorClass.Quota, TargetGone = gone,
                });

    private static readonly Gen<DateTimeOffset> Times = Gen.Int[0, 366 * 24 * 3600].Select(s => Now.AddSeconds(s));

    // The codes as the clients raise them.
    private static PlatformException WeChat(int code, DateTimeOffset now, bool outcomeUnknown = false) =>
        WeChatErrors.Classify(code, "errmsg", now).ToException(Platform.WeChat, code.ToString(System.Globalization.CultureInfo.InvariantCulture), "errmsg", outcomeUnknown);

    private static PlatformException Weibo(int code, DateTimeOffset now) =>
        WeiboErrors.Classify(code, "error", now).ToException(Platform.Weibo, code.ToString(System.Globalization.CultureInfo.InvariantCulture), "error");

    private static bool Retryable(PlatformErrorClass c) => c is PlatformErrorClass.Transient or PlatformErrorClass.RateLimited or PlatformErrorClass.Quota;

    [Fact]
    public void AnUnknownOutcomeOfAnUnresolvedSend_IsAlwaysLookedUp_NeverSentAgainNorFailed() =>
        Gen.Select(Errors, Gen.Int[0, 20], Gen.Bool, Times, Gen.Double[0, 1]).Sample((e, attempts, accountKnown, now, r) =>
        {
            var move = PublishRetryPolicy.AfterStepError(e, sendUnresolved: true, attempts, accountKnown, Options, now, r);
            if (e.OutcomeUnknown)
            {
                Assert.Equal(new NextMove.CheckPlatform(now + TimeSpan.FromSeconds(1)), move);
            }
            else
            {
                Assert.IsNotType<NextMove.CheckPlatform>(move);
            }
        });

    [Fact]
    public void AStepError_IsHeldRetriedDeadLetteredOrFailed_ByItsClassAlone() =>
        Gen.Select(Errors, Gen.Int[0, 20], Gen.Bool, Gen.Bool, Times, Gen.Double[0, 1]).Sample((e, attempts, unresolved, accountKnown, now, r) =>
        {
            var move = PublishRetryPolicy.AfterStepError(e, unresolved, attempts, accountKnown, Options, now, r);
            if (e.OutcomeUnknown && unresolved)
            {
                return;
            }

            var next = attempts + 1;
            switch (move)
            {
                case NextMove.HoldAccount hold:
                    // The account's window: no attempt is spent, and it waits until the window reopens.
                    Assert.True(e.LimitsAccount && accountKnown);
                    Assert.Equal(e.ReopensAt(now), hold.Until);
                    Assert.True(hold.Until > now || e.RetryAfter == TimeSpan.Zero);
                    break;
                case NextMove.RetryAt retry:
                    Assert.True(Retryable(e.ErrorClass));
                    Assert.False(e.LimitsAccount && accountKnown);
                    Assert.Equal(next, retry.Attempts);
                    Assert.True(next < Options.MaxAttempts);
                    if (e.RetryAfter is { } wait)
                    {
                        Assert.Equal(now + wait, retry.At);
                    }
                    else
                    {
                        var nominal = Math.Min(Options.RetryBaseSeconds * Math.Pow(2, next - 1), 3600);
                        Assert.InRange((retry.At - now).TotalSeconds, (nominal * 0.8) - 1e-6, (nominal * 1.2) + 1e-6);
                    }

                    break;
                case NextMove.DeadLetter dead:
                    Assert.Equal(next, dead.Attempts);
                    Assert.Equal(Retryable(e.ErrorClass), dead.Exhausted);
                    Assert.True(dead.Exhausted ? next >= Options.MaxAttempts : e.ErrorClass is PlatformErrorClass.Auth or PlatformErrorClass.Configuration);
                    break;
                case NextMove.Fail fail:
                    Assert.Equal(next, fail.Attempts);
                    Assert.True(e.ErrorClass is PlatformErrorClass.Content or PlatformErrorClass.Permanent or PlatformErrorClass.DuplicateOrSuccess);
                    break;
                default:
                    Assert.Fail($"unexpected move {move}");
                    break;
            }
        });

    [Fact]
    public void TheBackoff_DoublesFromTheBase_IsCappedAtAnHour_AndJittersWithinTwentyPercent() =>
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 60], Gen.Double[0, 1]).Sample((attempt, baseSeconds, r) =>
        {
            var nominal = Math.Min(baseSeconds * Math.Pow(2, attempt - 1), 3600);
            var delay = PublishRetryPolicy.Backoff(attempt, baseSeconds, r).TotalSeconds;
            Assert.InRange(delay, (nominal * 0.8) - 1e-6, (nominal * 1.2) + 1e-6);
            Assert.True(delay <= 3600 * 1.2 + 1e-6);
        });

    [Fact]
    public void AQuotaForTheDay_HoldsTheAccountUntilChinaMidnight_APerMinuteLimitUntilTheNextMinute_AndWeibosUntilTheNextHour()
    {
        var chinaMidnight = new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.FromHours(8));
        var nextMinute = new DateTimeOffset(2026, 12, 7, 3, 59, 0, TimeSpan.Zero);
        var nextHour = new DateTimeOffset(2026, 12, 7, 4, 0, 0, TimeSpan.Zero);
        Assert.Equal(new NextMove.HoldAccount(chinaMidnight), Step(WeChat(45009, Now)));
        Assert.Equal(new NextMove.HoldAccount(nextMinute), Step(WeChat(45011, Now)));
        Assert.Equal(new NextMove.HoldAccount(nextHour), Step(Weibo(10024, Now)));
        // Without the platform's time, the platform and the class say which window it is.
        Assert.Equal(new NextMove.HoldAccount(chinaMidnight), Step(new PlatformException(Platform.WeChat, "q", "m", PlatformErrorClass.Quota, "e")));
        Assert.Equal(new NextMove.HoldAccount(nextMinute), Step(new PlatformException(Platform.WeChat, "r", "m", PlatformErrorClass.RateLimited, "e")));
        Assert.Equal(new NextMove.HoldAccount(chinaMidnight), Step(new PlatformException(Platform.Weibo, "q", "m", PlatformErrorClass.Quota, "e")));
        Assert.Equal(new NextMove.HoldAccount(nextHour), Step(new PlatformException(Platform.Weibo, "r", "m", PlatformErrorClass.RateLimited, "e")));
    }

    [Fact]
    public void The45066OfOneClientMsgId_RetriesThatPublicationAfterAMinute_AndHoldsNoAccount()
    {
        var move = Assert.IsType<NextMove.RetryAt>(Step(WeChat(45066, Now)));
        Assert.Equal((Now + TimeSpan.FromSeconds(60), 1), (move.At, move.Attempts));
    }

    [Fact]
    public void ALimitOfAnAccountNoLongerInTheRegistry_IsRetriedLikeAnyOther()
    {
        var move = PublishRetryPolicy.AfterStepError(WeChat(45009, Now), false, 0, accountKnown: false, Options, Now, 0.5);
        Assert.IsType<NextMove.RetryAt>(move);
    }

    [Theory]
    [InlineData(21327, "DeadLetter")] // token expired: a person fixes it and re-drives
    [InlineData(10014, "DeadLetter")] // app permission: configuration
    [InlineData(20012, "Fail")] // text too long: a new revision
    [InlineData(20102, "Fail")]
    [InlineData(10001, "RetryAt")]
    public void WeiboCodes_InAPublishingStep(int code, string moveName) =>
        Assert.Equal(moveName, Step(Weibo(code, Now)).GetType().Name);

    [Fact]
    public void TheLastAttempt_GoesToTheDeadLetters_SayingRetriesAreExhausted()
    {
        var move = PublishRetryPolicy.AfterStepError(WeChat(-1, Now), false, Options.MaxAttempts - 1, true, Options, Now, 0.5);
        Assert.Equal(new NextMove.DeadLetter(Options.MaxAttempts, Exhausted: true), move);
    }

    [Fact]
    public void ADeleteOfAPostAlreadyGone_53600_20101_IsDone_But20102NotTheAccountsIsAFailure()
    {
        Assert.IsType<NextMove.AlreadyDone>(PublishRetryPolicy.AfterRetractError(WeChat(53600, Now), 0, Options, Now, 0.5));
        Assert.IsType<NextMove.AlreadyDone>(PublishRetryPolicy.AfterRetractError(Weibo(20101, Now), 3, Options, Now, 0.5));
        Assert.Equal(new NextMove.Fail(1), PublishRetryPolicy.AfterRetractError(Weibo(20102, Now), 0, Options, Now, 0.5));
        Assert.Equal(new NextMove.Fail(1), PublishRetryPolicy.AfterRetractError(WeChat(53502, Now), 0, Options, Now, 0.5));
    }

    [Fact]
    public void ARetractError_IsRetried_WhenItMayPassOrTheOutcomeIsUnknown_UpToTheAttempts() =>
        Gen.Select(Errors, Gen.Int[0, 20], Times, Gen.Double[0, 1]).Sample((e, attempts, now, r) =>
        {
            var move = PublishRetryPolicy.AfterRetractError(e, attempts, Options, now, r);
            var next = attempts + 1;
            if (e.TargetGone)
            {
                Assert.IsType<NextMove.AlreadyDone>(move);
            }
            else if ((e.OutcomeUnknown || Retryable(e.ErrorClass)) && next < Options.MaxAttempts)
            {
                var retry = Assert.IsType<NextMove.RetryAt>(move);
                Assert.Equal(next, retry.Attempts);
                Assert.True(retry.At >= now);
                if (e.RetryAfter is { } wait) Assert.Equal(now + wait, retry.At);
            }
            else
            {
                Assert.Equal(new NextMove.Fail(next), move);
            }
        });

    [Fact]
    public void AFailedLookup_NeverSends_ItLooksAgainOrAPersonFixesIt() =>
        Gen.Select(Errors, Times).Sample((e, now) =>
        {
            var move = PublishRetryPolicy.AfterLookupError(e, now);
            if (e.ErrorClass is PlatformErrorClass.Auth or PlatformErrorClass.Configuration or PlatformErrorClass.Permanent or PlatformErrorClass.Content)
            {
                Assert.Equal(new NextMove.DeadLetter(0, Exhausted: false), move);
            }
            else
            {
                Assert.Equal(new NextMove.CheckPlatform(now + (e.RetryAfter ?? TimeSpan.FromSeconds(5))), move);
            }
        });

    [Fact]
    public void AFailedOutcomePoll_AsksAgainForADay_UnlessTheRequestIsRefused() =>
        Gen.Select(Errors, Gen.Int[0, 48 * 3600].Select(s => Now.AddSeconds(-s)).Nullable(0.1), Gen.Int[0, 30], Gen.Int[0, 8])
            .Sample((e, sentAt, polls, attempts) =>
            {
                var move = PublishRetryPolicy.AfterPollError(e, sentAt, polls, attempts, Options, Now);
                var stillWaiting = Now - (sentAt ?? Now) < TimeSpan.FromHours(24);
                if (e.ErrorClass != PlatformErrorClass.Permanent && stillWaiting)
                {
                    var poll = Assert.IsType<NextMove.PollAt>(move);
                    var expected = e.RetryAfter ?? TimeSpan.FromMilliseconds(Math.Min(1000 * Math.Pow(1.5, polls), 60_000));
                    Assert.Equal(Now + expected, poll.At);
                }
                else
                {
                    Assert.Equal(new NextMove.Fail(attempts), move);
                }
            });

    [Fact]
    public void WhileLookingForAPost_ItLooksEveryEighthOfTheWindow_OneToThirtySecondsApart_AndNeverPastTheWindow() =>
        Gen.Select(Gen.Int[0, 7200], Gen.Int[-600, 7200]).Sample((windowSeconds, elapsed) =>
        {
            var sentAt = Now;
            var until = sentAt.AddSeconds(windowSeconds);
            var now = sentAt.AddSeconds(elapsed);
            var next = PublishRetryPolicy.NextLook(sentAt, until, now);
            if (now >= until)
            {
                Assert.Null(next);
                return;
            }

            Assert.NotNull(next);
            Assert.True(next > now && next <= until);
            var gap = Math.Clamp(windowSeconds / 8.0, 1, 30);
            Assert.Equal(next, now.AddSeconds(gap) < until ? now.AddSeconds(gap) : until);
        });

    private static NextMove Step(PlatformException e) => PublishRetryPolicy.AfterStepError(e, false, 0, true, Options, Now, 0.5);
}
