namespace MediaGateway.Sandbox;

/// <summary>An Official Account known to the sandbox. Kind: "subscription" | "service".</summary>
public sealed record WeChatSandboxApp(string AppId, string AppSecret, string Kind)
{
    /// <summary>
    /// The account's callback URL (wechat-mp.md, "Callback URL"): PUBLISHJOBFINISH and MASSSENDJOBFINISH are POSTed here
    /// when a publication or mass send completes. Null: no pushes. Needs <see cref="CallbackToken"/>.
    /// </summary>
    public Uri? CallbackUrl { get; init; }

    /// <summary>The Token the pushes are signed with.</summary>
    public string? CallbackToken { get; init; }

    /// <summary>The 43-character EncodingAESKey: set, the pushes are in safe mode (AES, msg_signature); null, plain.</summary>
    public string? EncodingAesKey { get; init; }

    /// <summary>Followers reported in MASSSENDJOBFINISH (TotalCount/SentCount).</summary>
    public int Followers { get; init; } = 1000;
}

public sealed class WeChatSandboxOptions
{
    /// <summary>0 = an ephemeral port on 127.0.0.1.</summary>
    public int Port { get; set; }

    public IList<WeChatSandboxApp> Apps { get; } = new List<WeChatSandboxApp>();

    /// <summary>How long a submitted publication stays publish_status 1 (publishing), on <see cref="TimeProvider"/>.</summary>
    public TimeSpan PublishDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromSeconds(7200);

    /// <summary>A push not answered within this time is retried (the sheet: 5 s). Wall-clock.</summary>
    public TimeSpan CallbackTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries of an unanswered push after the first attempt (the sheet: 3).</summary>
    public int CallbackRetries { get; set; } = 3;

    /// <summary>The platform's clock: token expiry, publish delay, quotas. (Fault delays are wall-clock.)</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>An article that reached "published" on the sandbox: the platform effect.</summary>
public sealed record WeChatSandboxArticle(
    string AppId,
    string ArticleId,
    long PublishId,
    int Index,
    string Title,
    string Author,
    string Digest,
    string Content,
    string ArticleUrl,
    string? ThumbMediaId,
    string ContentSourceUrl,
    DateTimeOffset PublishedAt,
    bool Deleted)
{
    /// <summary>draft/add need_open_comment: 1 = comments open (wechat-mp.md, "Drafts").</summary>
    public int NeedOpenComment { get; init; }

    /// <summary>draft/add only_fans_can_comment: 1 = only followers may comment.</summary>
    public int OnlyFansCanComment { get; init; }
}

/// <summary>A mass send accepted by the sandbox (message/mass/sendall): the platform effect.</summary>
public sealed record WeChatSandboxMassSend(
    string AppId,
    long MsgId,
    long MsgDataId,
    string? ClientMsgId,
    string DraftMediaId,
    IReadOnlyList<string> Titles,
    DateTimeOffset AcceptedAt,
    string Status,
    IReadOnlyList<bool> Deleted);

/// <summary>
/// One draft sent on its way: <see cref="Kind"/> "freepublish" (freepublish/submit accepted; <see cref="Id"/> = publish_id,
/// <see cref="Status"/> = publish_status, <see cref="ArticleId"/> once published) or "mass" (mass/sendall accepted;
/// <see cref="Id"/> = msg_id, <see cref="Status"/> = msg_status). <see cref="Contents"/> are the articles' HTML as sent.
/// The platform has no idempotency key for freepublish/submit: two submissions of one draft are two publications.
/// </summary>
public sealed record WeChatSandboxSubmission(
    string AppId,
    string Kind,
    string DraftMediaId,
    long Id,
    string Status,
    string? ArticleId,
    IReadOnlyList<string> Contents,
    DateTimeOffset At);

/// <summary>
/// A push to an account's callback URL: <see cref="Xml"/> is the event in plain text, <see cref="Body"/> what was POSTed
/// (the same XML, or the safe-mode envelope) to <see cref="Url"/> (with the signature query).
/// <see cref="Attempts"/> counts tries; <see cref="StatusCode"/>/<see cref="Answer"/> are the receiver's reply, null while unanswered.
/// </summary>
public sealed record WeChatSandboxPush(
    string AppId,
    string Event,
    string Xml,
    Uri Url,
    string Body,
    bool Encrypted,
    int Attempts,
    int? StatusCode,
    string? Answer,
    bool Finished);
