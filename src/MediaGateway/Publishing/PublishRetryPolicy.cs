using MediaGateway.Hosting;
using MediaGateway.Platforms;

namespace MediaGateway.Publishing;

/// <summary>
/// What a publication does next after a platform error (or while it waits for the platform), decided by
/// <see cref="PublishRetryPolicy"/> without I/O. <see cref="PublicationOutcomes"/> turns a move into the step that is saved.
/// </summary>
internal abstract record NextMove
{
    /// <summary>Do the same thing again at <see cref="At"/>, counted as attempt <see cref="Attempts"/>.</summary>
    internal sealed record RetryAt(DateTimeOffset At, int Attempts) : NextMove;

    /// <summary>The account's quota or rate window is closed: hold the whole account until it reopens; no attempt is spent.</summary>
    internal sealed record HoldAccount(DateTimeOffset Until) : NextMove;

    /// <summary>A send may have happened: keep the send marker and look for the post on the platform at <see cref="At"/>, before anything is sent again.</summary>
    internal sealed record CheckPlatform(DateTimeOffset At) : NextMove;

    /// <summary>Ask the platform again at <see cref="At"/> what became of a send it accepted.</summary>
    internal sealed record PollAt(DateTimeOffset At) : NextMove;

    /// <summary>Failed in a way a person can fix (retries exhausted, credentials, configuration): the dead-letter list, re-drivable.</summary>
    internal sealed record DeadLetter(int Attempts, bool Exhausted) : NextMove;

    /// <summary>Failed for good: the platform refuses the content or the request; a new revision is the fix.</summary>
    internal sealed record Fail(int Attempts) : NextMove;

    /// <summary>What the call was to do is already so on the platform (the post to delete is gone).</summary>
    internal sealed record AlreadyDone : NextMove;
}

/// <summary>
/// The publishing pipeline's retry and back-off rules, pure: the error's class and flags (as MediaGateway.Platforms
/// classified them), the attempt, the options and the time in; the next move out. No platform code is read here
/// (decision 33); the webhook deliveries have their own (<see cref="Webhooks.RetryPolicy"/>).
/// </summary>
internal static class PublishRetryPolicy
{
    /// <summary>How long WeChat's asynchronous outcome of an accepted send is asked for before the gateway gives up asking.</summary>
    public static readonly TimeSpan OutcomeWaitLimit = TimeSpan.FromHours(24);

    /// <summary>How soon the platform is searched after a send whose outcome is unknown.</summary>
    public static readonly TimeSpan FirstLookDelay = TimeSpan.FromSeconds(1);

    /// <summary>How soon a failed lookup is tried again when the platform gives no time.</summary>
    public static readonly TimeSpan LookupRetryDelay = TimeSpan.FromSeconds(5);

    private const double MaxBackoffSeconds = 3600;

    /// <summary>
    /// A publishing step's platform call failed.
    /// <list type="bullet">
    /// <item>The send may have happened (an unknown outcome while a send is unresolved): look it up first; never resend blindly.</item>
    /// <item>The account's window is closed: hold the account until it reopens, without spending an attempt.</item>
    /// <item>Transient, rate and quota errors: back off (or the platform's time), up to <see cref="PublishingOptions.MaxAttempts"/>, then the dead-letter list.</item>
    /// <item>Credentials and configuration: the dead-letter list (a person fixes them and re-drives). Content and permanent: failed.</item>
    /// </list>
    /// </summary>
    /// <param name="sendUnresolved">The publication's send was started and no result is recorded (<see cref="SendState.Unresolved"/>).</param>
    /// <param name="attempts">Attempts spent so far.</param>
    /// <param name="accountKnown">The account is still in the registry (it can be held).</param>
    /// <param name="random01">A number in [0, 1) for the jitter.</param>
    public static NextMove AfterStepError(PlatformException error, bool sendUnresolved, int attempts, bool accountKnown,
        PublishingOptions options, DateTimeOffset now, double random01)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(options);
        if (error.OutcomeUnknown && sendUnresolved)
        {
            return new NextMove.CheckPlatform(now + FirstLookDelay);
        }

        if (error.LimitsAccount && accountKnown)
        {
            return new NextMove.HoldAccount(error.ReopensAt(now));
        }

        var next = attempts + 1;
        if (!Retryable(error.ErrorClass) || next >= options.MaxAttempts)
        {
            return Retryable(error.ErrorClass) || error.ErrorClass is PlatformErrorClass.Auth or PlatformErrorClass.Configuration
                ? new NextMove.DeadLetter(next, Exhausted: Retryable(error.ErrorClass))
                : new NextMove.Fail(next);
        }

        return new NextMove.RetryAt(now + (error.RetryAfter ?? Backoff(next, options.RetryBaseSeconds, random01)), next);
    }

    /// <summary>
    /// Deleting a post failed. Gone already: done. A passing fault, a limit, or an unknown outcome (deleting twice is
    /// harmless): back off and try again, up to <see cref="PublishingOptions.MaxAttempts"/>. Anything else: the retraction failed.
    /// </summary>
    /// <param name="attempts">Retraction attempts spent so far.</param>
    public static NextMove AfterRetractError(PlatformException error, int attempts, PublishingOptions options, DateTimeOffset now, double random01)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(options);
        if (error.TargetGone)
        {
            return new NextMove.AlreadyDone();
        }

        var next = attempts + 1;
        return (error.OutcomeUnknown || Retryable(error.ErrorClass)) && next < options.MaxAttempts
            ? new NextMove.RetryAt(now + (error.RetryAfter ?? Backoff(next, options.RetryBaseSeconds, random01)), next)
            : new NextMove.Fail(next);
    }

    /// <summary>
    /// Looking on the platform for what became of a send failed. The send may still have happened, so nothing is sent:
    /// a fault a person must fix (credentials, configuration, a refused request) goes to the dead-letter list (a re-drive
    /// looks first); anything else looks again, at the platform's time or after <see cref="LookupRetryDelay"/>.
    /// </summary>
    public static NextMove AfterLookupError(PlatformException error, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.ErrorClass is PlatformErrorClass.Auth or PlatformErrorClass.Configuration or PlatformErrorClass.Permanent or PlatformErrorClass.Content
            ? new NextMove.DeadLetter(0, Exhausted: false)
            : new NextMove.CheckPlatform(now + (error.RetryAfter ?? LookupRetryDelay));
    }

    /// <summary>
    /// Asking for the outcome of an accepted send failed: asking failed, not the publication, so ask again
    /// (<see cref="NextPoll"/>), unless the request itself is refused or <see cref="OutcomeWaitLimit"/> has passed since the send.
    /// </summary>
    /// <param name="attempts">Attempts spent so far (unchanged: a failed poll is not an attempt).</param>
    public static NextMove AfterPollError(PlatformException error, DateTimeOffset? sendStartedAt, int outcomePolls, int attempts,
        PublishingOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.ErrorClass != PlatformErrorClass.Permanent && StillWaiting(sendStartedAt, now)
            ? new NextMove.PollAt(NextPoll(outcomePolls, error.RetryAfter, options, now))
            : new NextMove.Fail(attempts);
    }

    /// <summary>True while the outcome of a send started at <paramref name="sendStartedAt"/> is still worth asking for.</summary>
    public static bool StillWaiting(DateTimeOffset? sendStartedAt, DateTimeOffset now) => now - (sendStartedAt ?? now) < OutcomeWaitLimit;

    /// <summary>When to ask for a pending outcome again: the platform's time, else every <see cref="PublishingOptions.OutcomePollMilliseconds"/>, growing by half each poll, at most a minute apart.</summary>
    public static DateTimeOffset NextPoll(int outcomePolls, TimeSpan? retryAfter, PublishingOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        return now + (retryAfter ?? TimeSpan.FromMilliseconds(Math.Min(options.OutcomePollMilliseconds * Math.Pow(1.5, outcomePolls), 60_000)));
    }

    /// <summary>
    /// While a send's outcome is unknown and its post not found: when to look again, an eighth of the window (1–30 s)
    /// apart and never after <paramref name="until"/>; null once <paramref name="until"/> has come.
    /// </summary>
    public static DateTimeOffset? NextLook(DateTimeOffset? sendStartedAt, DateTimeOffset until, DateTimeOffset now)
    {
        if (now >= until)
        {
            return null;
        }

        var next = now + TimeSpan.FromSeconds(Math.Clamp((until - (sendStartedAt ?? now)).TotalSeconds / 8, 1, 30));
        return next < until ? next : until;
    }

    /// <summary>Exponential back-off from <paramref name="baseSeconds"/>, doubling per attempt, capped at an hour, with ±20 % jitter.</summary>
    public static TimeSpan Backoff(int attempt, int baseSeconds, double random01) =>
        TimeSpan.FromSeconds(Math.Min(baseSeconds * Math.Pow(2, attempt - 1), MaxBackoffSeconds) * (0.8 + (random01 * 0.4)));

    private static bool Retryable(PlatformErrorClass errorClass) =>
        errorClass is PlatformErrorClass.Transient or PlatformErrorClass.RateLimited or PlatformErrorClass.Quota;
}
