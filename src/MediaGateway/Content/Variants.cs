using MediaGateway.Hosting;

namespace MediaGateway.Content;

/// <summary>
/// Issue 22, decision 45: what an item says on Weibo when it should not be "【title】summary link" with the cover. Both parts
/// are optional; what is omitted falls back to the item's own fields. Part of the Weibo rendering, so of its fingerprint.
/// </summary>
internal sealed record WeiboVariant
{
    /// <summary>
    /// The post's text, sent as written, followed by the item's link unless the text already holds it. With the link at
    /// most 140 characters (weibo.md), counted as <c>WeiboText.Length</c> does; #话题# only for accounts with AllowTopics.
    /// </summary>
    [MultiLineText]
    public string? Text { get; init; }

    /// <summary>
    /// Media ids of the post's pictures: omitted = the cover, empty = no picture. statuses/share takes one picture
    /// (weibo.md: "optional pic (one image …)"), so at most one.
    /// </summary>
    public List<string>? Pictures { get; init; }
}

/// <summary>Who may comment on a WeChat article (draft/add need_open_comment, only_fans_can_comment).</summary>
internal enum WeChatComments
{
    /// <summary>need_open_comment 0: no comments (the default, as before).</summary>
    Closed,
    /// <summary>need_open_comment 1, only_fans_can_comment 0.</summary>
    Open,
    /// <summary>need_open_comment 1, only_fans_can_comment 1.</summary>
    FansOnly,
}

/// <summary>
/// Issue 22, decision 45: the WeChat article's options beyond the item's fields (the author is the item's own
/// <c>author</c>, which only WeChat shows). Part of the WeChat rendering, so of its fingerprint.
/// </summary>
internal sealed record WeChatOptions
{
    /// <summary>The "阅读原文" link (content_source_url, ≤1 KB) when it should differ from the item's link; on the account's allow-list.</summary>
    public string? OriginalLink { get; init; }

    /// <summary>closed (default), open, or fansOnly.</summary>
    public WeChatComments? Comments { get; init; }
}

/// <summary>The variants as submission stores them, and the checks that do not depend on rendering (decision 45).</summary>
internal static class Variants
{
    /// <summary>The text trimmed with LF line breaks (decision 25); null when nothing is left to say.</summary>
    public static WeiboVariant? Normalize(WeiboVariant? weibo)
    {
        if (weibo is null) return null;
        var text = string.IsNullOrWhiteSpace(weibo.Text) ? null : Rules.Text.TextHygiene.NormalizeLineBreaks(weibo.Text.Trim());
        return text is null && weibo.Pictures is null ? null : new WeiboVariant { Text = text, Pictures = weibo.Pictures?.Select(p => p?.Trim() ?? "").ToList() };
    }

    public static WeChatOptions? Normalize(WeChatOptions? weChat)
    {
        if (weChat is null) return null;
        var link = string.IsNullOrWhiteSpace(weChat.OriginalLink) ? null : weChat.OriginalLink.Trim();
        return link is null && weChat.Comments is null ? null : new WeChatOptions { OriginalLink = link, Comments = weChat.Comments };
    }

    /// <summary>
    /// The Weibo pictures (at most <see cref="Rendering.WeiboText.PicturesPerPost"/>, each uploaded; found ones join
    /// <paramref name="stored"/> for the image rules) and the WeChat original link (absolute http(s), ≤1 KB, on every WeChat
    /// target's allow-list). The Weibo text's length and topics depend on the account: the renderer checks them.
    /// </summary>
    public static async Task CheckAsync(WeiboVariant? weibo, WeChatOptions? weChat, IReadOnlyList<Accounts.Account> targets, MediaStore media,
        Dictionary<string, StoredMedia> stored, Dictionary<string, List<string>> errors)
    {
        if (weibo?.Pictures is { } pictures)
        {
            if (pictures.Count > Rendering.WeiboText.PicturesPerPost)
            {
                errors.Add("weibo.pictures",
                    $"当前使用的微博接口 statuses/share 每条只能带 {Rendering.WeiboText.PicturesPerPost} 张图片，现有 {pictures.Count} 张 / "
                    + $"the Weibo API in use (statuses/share) takes {Rendering.WeiboText.PicturesPerPost} picture per post; this lists {pictures.Count}");
            }

            for (var i = 0; i < pictures.Count; i++)
            {
                if (pictures[i].Length == 0)
                {
                    errors.Add($"weibo.pictures[{i}]", "请填写图片编号 / a media id is required");
                }
                else if (!stored.ContainsKey(pictures[i]))
                {
                    if (await media.FindAsync(pictures[i]) is { } found) stored[pictures[i]] = found;
                    else errors.Add($"weibo.pictures[{i}]", $"微博配图未上传或已失效，请重新上传 / no uploaded image '{pictures[i]}'");
                }
            }
        }

        if (weChat?.OriginalLink is { } original)
        {
            if (!Uri.TryCreate(original, UriKind.Absolute, out var link) || link.Scheme is not ("https" or "http"))
            {
                errors.Add("weChat.originalLink", "原文链接须为以 http(s):// 开头的完整网址 / must be an absolute http(s) URL");
                return;
            }

            if (System.Text.Encoding.UTF8.GetByteCount(original) > WeChatLimits.SourceUrlMaxBytes)
            {
                errors.Add("weChat.originalLink", $"原文链接最长 {WeChatLimits.SourceUrlMaxBytes} 字节 / at most {WeChatLimits.SourceUrlMaxBytes} bytes (content_source_url)");
            }

            foreach (var account in targets.Where(a => a.Platform == Platforms.Platform.WeChat && !ContentSubmission.LinkAllowed(link, a.AllowedLinkDomains)))
            {
                errors.Add("weChat.originalLink",
                    $"「{link.Host}」不在账号「{account.Name}」允许的链接域名内（{string.Join("、", account.AllowedLinkDomains)}） / "
                    + $"'{link.Host}' is not on the allow-list of account '{account.Id}' ({string.Join(", ", account.AllowedLinkDomains)})");
            }
        }
    }
}
