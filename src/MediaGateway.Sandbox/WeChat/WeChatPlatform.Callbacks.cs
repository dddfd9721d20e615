using System.Globalization;
using System.Security;
using System.Security.Cryptography;
using System.Text;

namespace MediaGateway.Sandbox.WeChat;

/// <summary>The callback URL of an app and the push events sent to it. Every rule cites wechat-mp.md.</summary>
internal sealed partial class WeChatPlatform
{
    private readonly Dictionary<string, CallbackConfig> _callbacks = new(StringComparer.Ordinal);
    private WeChatPusher? _pusher;

    /// <summary>Connects the push deliverer and loads the callback settings of the configured apps.</summary>
    public void AttachPusher(WeChatPusher pusher)
    {
        lock (_gate)
        {
            _pusher = pusher;
            foreach (var app in _apps.Values.Select(a => a.App))
            {
                if (app.CallbackUrl is not null)
                {
                    SetCallbackLocked(app.AppId, app.CallbackUrl, app.CallbackToken, app.EncodingAesKey);
                }
            }
        }
    }

    /// <summary>Sets (or with a null URL removes) an app's callback at runtime.</summary>
    public void SetCallback(string appId, Uri? url, string? token, string? encodingAesKey)
    {
        lock (_gate)
        {
            if (!_apps.ContainsKey(appId))
            {
                throw new ArgumentException($"Unknown app {appId}.", nameof(appId));
            }

            SetCallbackLocked(appId, url, token, encodingAesKey);
        }
    }

    private void SetCallbackLocked(string appId, Uri? url, string? token, string? encodingAesKey)
    {
        if (url is null)
        {
            _callbacks.Remove(appId);
            return;
        }

        if (string.IsNullOrEmpty(token))
        {
            throw new ArgumentException($"App {appId}: a callback URL needs a token.", nameof(token));
        }

        if (!string.IsNullOrEmpty(encodingAesKey)
            && (encodingAesKey.Length != 43 || !IsBase64(encodingAesKey + "=", 32)))
        {
            throw new ArgumentException($"App {appId}: the EncodingAESKey is 43 Base64 characters.", nameof(encodingAesKey));
        }

        _callbacks[appId] = new CallbackConfig(appId, url, token, string.IsNullOrEmpty(encodingAesKey) ? null : encodingAesKey);
    }

    /// <summary>Settles due publications and mass sends (so their pushes go out without anyone polling).</summary>
    public void Tick()
    {
        lock (_gate)
        {
            Settle();
        }
    }

    private void QueuePublishFinished(Publication p)
    {
        if (_pusher is null || !_callbacks.TryGetValue(p.AppId, out var target))
        {
            return;
        }

        var (originalId, openId) = Identities(p.AppId);
        var xml = new StringBuilder();
        xml.Append("<xml>")
            .Append(CData("ToUserName", originalId))
            .Append(CData("FromUserName", openId))
            .Append(Plain("CreateTime", p.UpdatedAt.ToUnixTimeSeconds()))
            .Append(CData("MsgType", "event"))
            .Append(CData("Event", "PUBLISHJOBFINISH"))
            .Append("<PublishEventInfo>")
            .Append(Plain("publish_id", p.PublishId))
            .Append(Plain("publish_status", p.Status));
        if (p.ArticleId is not null)
        {
            xml.Append(CData("article_id", p.ArticleId))
                .Append("<article_detail>").Append(Plain("count", p.Articles.Count));
            for (var i = 0; i < p.Articles.Count; i++)
            {
                xml.Append("<item>").Append(Plain("idx", i + 1)).Append(CData("article_url", ArticleUrl(p.ArticleId, i + 1))).Append("</item>");
            }

            xml.Append("</article_detail>");
        }

        if (p.Status is 2 or 3 or 4)
        {
            for (var i = 1; i <= p.Articles.Count; i++)
            {
                xml.Append(Plain("fail_idx", i));
            }
        }

        xml.Append("</PublishEventInfo></xml>");
        _pusher.Push(target, "PUBLISHJOBFINISH", xml.ToString(), originalId, openId, Time.GetUtcNow());
    }

    private void QueueMassFinished(MassSend m, DateTimeOffset now)
    {
        if (_pusher is null || !_callbacks.TryGetValue(m.AppId, out var target))
        {
            return;
        }

        var followers = _apps[m.AppId].App.Followers;
        var success = m.Status == "SEND_SUCCESS";
        var (originalId, openId) = Identities(m.AppId);
        var xml = new StringBuilder()
            .Append("<xml>")
            .Append(CData("ToUserName", originalId))
            .Append(CData("FromUserName", openId))
            .Append(Plain("CreateTime", now.ToUnixTimeSeconds()))
            .Append(CData("MsgType", "event"))
            .Append(CData("Event", "MASSSENDJOBFINISH"))
            .Append(Plain("MsgID", m.MsgId))
            .Append(CData("Status", success ? "send success" : "send fail"))
            .Append(Plain("TotalCount", followers))
            .Append(Plain("FilterCount", followers))
            .Append(Plain("SentCount", success ? followers : 0))
            .Append(Plain("ErrorCount", success ? 0 : followers))
            .Append("</xml>");
        _pusher.Push(target, "MASSSENDJOBFINISH", xml.ToString(), originalId, openId, now);
    }

    /// <summary>The account's original id (gh_…) and the openid of its administrator, stable per appid.</summary>
    private static (string OriginalId, string OpenId) Identities(string appId)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(appId)));
        return ("gh_" + hash[..12], "o" + hash[12..39]);
    }

    private static string CData(string name, string value) =>
        $"<{name}><![CDATA[{value.Replace("]]>", "]]]]><![CDATA[>", StringComparison.Ordinal)}]]></{name}>";

    private static string Plain(string name, long value) =>
        $"<{name}>{SecurityElement.Escape(value.ToString(CultureInfo.InvariantCulture))}</{name}>";

    private static bool IsBase64(string text, int expectedBytes)
    {
        var buffer = new byte[expectedBytes + 3];
        return Convert.TryFromBase64String(text, buffer, out var written) && written == expectedBytes;
    }
}
