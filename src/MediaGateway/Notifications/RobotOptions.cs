using System.ComponentModel.DataAnnotations;

namespace MediaGateway.Notifications;

internal enum RobotKind
{
    /// <summary>企业微信 group robot: POST …/cgi-bin/webhook/send?key=KEY.</summary>
    WeCom,
    /// <summary>钉钉 custom robot: POST …/robot/send?access_token=TOKEN[&amp;timestamp&amp;sign].</summary>
    DingTalk,
}

/// <summary>One review group's robot (Notifications:Robots:{name}).</summary>
internal sealed class RobotOptions
{
    public RobotKind Kind { get; set; }

    /// <summary>The robot's whole URL, key or token included, as a secret reference (env:NAME or file:path): the URL is the secret.</summary>
    [Required] public string? UrlRef { get; set; }

    /// <summary>DingTalk 加签: the signing secret as a reference; unset when the robot does not sign.</summary>
    public string? SignSecretRef { get; set; }

    /// <summary>The departments whose review group sits in this chat: they get notices about items on accounts they may see.</summary>
    public List<string> Departments { get; set; } = [];
}

/// <summary>Section "Notifications": the work-chat robots of the review groups.</summary>
internal sealed class NotificationsOptions
{
    public const string Section = "Notifications";

    public Dictionary<string, RobotOptions> Robots { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Messages a robot takes per minute (both platforms: 20).</summary>
    [Range(1, 20)] public int PerMinute { get; set; } = 20;
}
