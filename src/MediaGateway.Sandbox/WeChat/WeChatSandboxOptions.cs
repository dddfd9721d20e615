namespace MediaGateway.Sandbox;

/// <summary>An Official Account known to the sandbox. Kind: "subscription" | "service".</summary>
public sealed record WeChatSandboxApp(string AppId, string AppSecret, string Kind);

public sealed class WeChatSandboxOptions
{
    /// <summary>0 = an ephemeral port on 127.0.0.1.</summary>
    public int Port { get; set; }

    public IList<WeChatSandboxApp> Apps { get; } = new List<WeChatSandboxApp>();

    /// <summary>How long a submitted publication stays publish_status 1 (publishing), on <see cref="TimeProvider"/>.</summary>
    public TimeSpan PublishDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromSeconds(7200);

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
    bool Deleted);
