namespace MediaGateway.Sandbox;

/// <summary>
/// One switchable fault of a sandbox. It matches requests by path and answers in place of the
/// platform for the next <see cref="Times"/> matching requests.
/// </summary>
public sealed record SandboxFault
{
    /// <summary>Request path, e.g. "/cgi-bin/draft/add" or "/2/statuses/share.json" (case-insensitive).</summary>
    public required string Path { get; init; }

    /// <summary>WeChat: answer HTTP 200 with this errcode (the platform's error style).</summary>
    public int? WeChatErrcode { get; init; }

    /// <summary>Weibo: answer this error_code, with <see cref="HttpStatus"/> (default 400).</summary>
    public int? WeiboErrorCode { get; init; }

    /// <summary>
    /// Alone: a bare HTTP error (e.g. 502/503) with a non-JSON body. With an error code: the status of that answer.
    /// </summary>
    public int? HttpStatus { get; init; }

    /// <summary>Wall-clock latency before answering (simulates a slow network; not the sandbox's TimeProvider).</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>How many matching requests this fault answers.</summary>
    public int Times { get; init; } = 1;

    /// <summary>
    /// True: the real handler runs first (the platform effect happens), then the fault's answer replaces the
    /// real one — "timeout / 5xx after send". With only <see cref="Delay"/> set, the real answer comes late.
    /// </summary>
    public bool AfterEffect { get; init; }

    /// <summary>
    /// WeChat only, on "/cgi-bin/freepublish/submit": the submit succeeds but the asynchronous outcome becomes this
    /// publish_status (2 originality check failed, 3 general failure, 4 review rejected: nothing is published;
    /// 6: published, then banned by the system). The other answer fields are ignored for such a fault.
    /// </summary>
    public int? PublishStatus { get; init; }

    /// <summary>
    /// Weibo only: the fault matches only requests made with this user's (uid) token; null = every account.
    /// Lets a test or the demo fault one account while the others go on normally.
    /// </summary>
    public string? Uid { get; init; }

    /// <summary>
    /// True when the platform must act before the fault answers: <see cref="AfterEffect"/>, or a Weibo 20032/20053,
    /// which mean the post exists (weibo.md, "Responses that mean the post exists: 20053 … and 20032").
    /// </summary>
    internal bool TakesEffectFirst => AfterEffect || WeiboErrorCode is 20032 or 20053;

    /// <summary>
    /// WeChat only: the fault matches only requests for this appid (from access_token, or the appid of a token call);
    /// null = every account. With <see cref="Path"/> "*" it covers every API path, e.g. 40164 for one account.
    /// </summary>
    public string? AppId { get; init; }

    /// <summary>
    /// WeChat only, on "/cgi-bin/freepublish/submit" (with or without <see cref="PublishStatus"/>): the first N
    /// freepublish/get polls answer publish_status 1 (publishing) whatever the clock; the outcome comes after.
    /// </summary>
    public int? PublishingPolls { get; init; }

    /// <summary>
    /// WeChat only, on "/cgi-bin/message/mass/sendall": the send is accepted (the effect counts) but ends in this
    /// msg_status ("SEND_FAIL"), and the draft stays. The other answer fields are ignored for such a fault.
    /// </summary>
    public string? MassStatus { get; init; }

    /// <summary>A plan for an asynchronous outcome, taken by the platform handler rather than answered by the middleware.</summary>
    internal bool PlansOutcome => PublishStatus is not null || PublishingPolls is not null || MassStatus is not null;

    /// <summary>
    /// True: no answer at all, the connection is closed (aborted) instead. With <see cref="AfterEffect"/> the platform acts
    /// first ("connection closed after the effect": the client cannot know whether it happened); without, before it.
    /// </summary>
    public bool CloseConnection { get; init; }

    internal bool AnswersWithError => WeChatErrcode is not null || WeiboErrorCode is not null || HttpStatus is not null || CloseConnection;
}
