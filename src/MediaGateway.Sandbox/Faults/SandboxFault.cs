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

    internal bool AnswersWithError => WeChatErrcode is not null || WeiboErrorCode is not null || HttpStatus is not null;
}
