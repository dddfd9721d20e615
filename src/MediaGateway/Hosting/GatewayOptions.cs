using System.ComponentModel.DataAnnotations;

namespace MediaGateway.Hosting;

internal enum GatewayMode
{
    /// <summary>Refuses to start without Redis persistence (AOF) and noeviction.</summary>
    Production,
    /// <summary>Demo and tests: warns about persistence instead of refusing.</summary>
    Development,
}

/// <summary>Section "Gateway".</summary>
internal sealed class GatewayOptions
{
    public const string Section = "Gateway";

    public GatewayMode Mode { get; set; } = GatewayMode.Production;

    /// <summary>Further JSON files (relative to the config directory) with Departments, Accounts, Users, Webhooks.</summary>
    public List<string> IncludeFiles { get; set; } = [];

    /// <summary>Where the templates live, relative to the config directory.</summary>
    [Required]
    public string TemplatesDirectory { get; set; } = "../templates";
}

/// <summary>Section "Sandbox": the built-in WeChat/Weibo simulators and demo receiver (demo only).</summary>
internal sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    public bool Enabled { get; set; }

    [Range(0, 65535)]
    public int WeChatPort { get; set; } = 5391;

    [Range(0, 65535)]
    public int WeiboPort { get; set; } = 5392;

    [Range(0, 65535)]
    public int ReceiverPort { get; set; } = 5393;

    /// <summary>The local OpenID Connect issuer (demo sign-in with JWTs).</summary>
    [Range(0, 65535)]
    public int OidcPort { get; set; } = 5394;

    /// <summary>The WeCom and DingTalk group robots (Notifications:Robots whose URL points here).</summary>
    [Range(0, 65535)]
    public int RobotPort { get; set; } = 5396;
}
