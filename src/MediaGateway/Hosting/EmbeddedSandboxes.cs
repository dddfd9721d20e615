using MediaGateway.Accounts;
using MediaGateway.Platforms;
using MediaGateway.Sandbox;
using MediaGateway.Webhooks;
using Microsoft.Extensions.Options;

namespace MediaGateway.Hosting;

/// <summary>
/// Demo only (Sandbox:Enabled): runs the WeChat and Weibo simulators and the demo department's webhook
/// receiver in this process on their own loopback ports, set up with the configured accounts' credentials.
/// </summary>
internal sealed class EmbeddedSandboxes(IOptions<SandboxOptions> options, AccountRegistry accounts, ConfigDirectory configDirectory,
    IConfiguration configuration, TimeProvider time) : IHostedService, IAsyncDisposable
{
    private WeChatSandbox? _weChat;
    private WeiboSandbox? _weibo;
    private WebhookReceiver? _receiver;
    private OidcIssuer? _issuer;
    private RobotSandbox? _robots;

    public Uri? WeChatAddress => _weChat?.BaseAddress;
    public Uri? WeiboAddress => _weibo?.BaseAddress;
    public Uri? ReceiverAddress => _receiver?.BaseAddress;
    public Uri? IssuerAddress => _issuer?.BaseAddress;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var weChat = new WeChatSandboxOptions { Port = o.WeChatPort };
        var weibo = new WeiboSandboxOptions { Port = o.WeiboPort };
        foreach (var account in accounts.All)
        {
            if (account.Platform == Platform.WeChat)
            {
                var credentials = account.WeChatCredentials();
                weChat.Apps.Add(new WeChatSandboxApp(credentials.AppId, credentials.AppSecret,
                    account.Kind == AccountKind.WeChatService ? "service" : "subscription"));
            }
            else
            {
                var appKey = $"app-{account.Id}";
                weibo.Apps.Add(new WeiboSandboxApp(appKey, account.SafeDomain!));
                weibo.Users.Add(new WeiboSandboxUser(account.WeiboCredentials().AccessToken, account.WeiboUid!, account.Name, appKey,
                    time.GetUtcNow().AddDays(30)));
            }
        }

        var receiver = new WebhookReceiverOptions { Port = o.ReceiverPort };
        foreach (var section in configuration.GetSection("Webhooks:Subscriptions").GetChildren())
        {
            if (Uri.TryCreate(section["Url"], UriKind.Absolute, out var url) && url.Port == o.ReceiverPort && url.IsLoopback)
            {
                receiver.Secrets[url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Last()] =
                    SecretReference.Resolve(section["SecretRef"], $"{section.Path}:SecretRef", configDirectory);
            }
        }

        _weChat = await WeChatSandbox.StartAsync(weChat, cancellationToken);
        _weibo = await WeiboSandbox.StartAsync(weibo, cancellationToken);
        _receiver = await WebhookReceiver.StartAsync(receiver, cancellationToken);
        _issuer = await OidcIssuer.StartAsync(new OidcIssuerOptions { Port = o.OidcPort }, cancellationToken);
        _robots = await RobotSandbox.StartAsync(RobotsFor(o.RobotPort), cancellationToken);

        // WeChat pushes its outcomes to the gateway's callback URL for accounts that configure one.
        var gateway = (configuration["Urls"] ?? "http://127.0.0.1:5380").Split(';')[0].TrimEnd('/');
        foreach (var account in accounts.All.Where(a => a.Platform == Platform.WeChat && a.Callback is not null))
        {
            _weChat.SetCallback(account.AppId!, new Uri($"{gateway}/wechat/callback/{account.AppId}"), account.Callback!.Token, account.Callback.EncodingAesKey);
        }
    }

    /// <summary>The configured robots whose URL points at the robot sandbox, with their keys, tokens and signing secrets.</summary>
    private RobotSandboxOptions RobotsFor(int port)
    {
        var robots = new RobotSandboxOptions { Port = port };
        foreach (var section in configuration.GetSection("Notifications:Robots").GetChildren())
        {
            var url = new Uri(SecretReference.Resolve(section["UrlRef"], $"{section.Path}:UrlRef", configDirectory));
            if (!url.IsLoopback || url.Port != port) continue;
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query);
            if (query.TryGetValue("key", out var key)) robots.WeComKeys.Add(key.ToString());
            if (query.TryGetValue("access_token", out var token))
            {
                robots.DingTalkRobots[token.ToString()] = section["SignSecretRef"] is { } secret
                    ? SecretReference.Resolve(secret, $"{section.Path}:SignSecretRef", configDirectory) : null;
            }
        }

        return robots;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_weChat is not null) await _weChat.DisposeAsync();
        if (_weibo is not null) await _weibo.DisposeAsync();
        if (_receiver is not null) await _receiver.DisposeAsync();
        if (_issuer is not null) await _issuer.DisposeAsync();
        if (_robots is not null) await _robots.DisposeAsync();
        _robots = null;
        _weChat = null;
        _weibo = null;
        _receiver = null;
        _issuer = null;
    }
}
