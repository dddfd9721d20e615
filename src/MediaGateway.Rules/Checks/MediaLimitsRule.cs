using System.Globalization;

namespace MediaGateway.Rules;

/// <summary>What an image is used as, which decides the platform call it goes through and so its limits.</summary>
public enum ImageUse
{
    /// <summary>An image inside a WeChat article: <c>media/uploadimg</c>, jpg/png, under 1 MB.</summary>
    WeChatBodyImage,
    /// <summary>A WeChat cover uploaded as permanent image material (<c>add_material?type=image</c>): bmp/png/jpeg/jpg/gif, at most 10 MB.</summary>
    WeChatCover,
    /// <summary>A WeChat thumbnail (<c>add_material?type=thumb</c>): jpg, at most 64 KB.</summary>
    WeChatThumb,
    /// <summary>The picture of a Weibo post (<c>statuses/share</c> <c>pic</c>): JPEG/GIF/PNG, under 5 MB.</summary>
    WeiboPicture,
}

/// <summary>
/// One image as one account will receive it: its name, the type sniffed from its bytes (a MIME type, never the name's or
/// the upload's claim), its size, and where the item references it (UTF-16 offsets into the input's text).
/// </summary>
public sealed record ImageFacts(ImageUse Use, string Name, string? ContentType, long Bytes, int Start, int Length);

/// <summary>
/// The platforms' type and size limits on images (shared/platforms: wechat-mp.md "Images", weibo.md "Posting"). An image
/// the platform would refuse cannot be sent, so each is a blocking finding, per target account, naming the image, the
/// account and the limit. Acts only on inputs that carry <see cref="RuleInput.Image"/>.
/// </summary>
public sealed class MediaLimitsRule : IRule
{
    private const long MB = 1024 * 1024;

    private sealed record Limit(string[] Types, long MaxBytes, bool Exclusive, string Zh, string En, string LimitZh, string LimitEn);

    private static readonly Dictionary<ImageUse, Limit> Limits = new()
    {
        [ImageUse.WeChatBodyImage] = new(["image/jpeg", "image/png"], 1 * MB, Exclusive: true,
            "公众号正文图片", "WeChat article image", "须小于 1 MB", "must be under 1 MB"),
        [ImageUse.WeChatCover] = new(["image/jpeg", "image/png", "image/gif", "image/bmp"], 10 * MB, Exclusive: false,
            "公众号封面图片", "WeChat cover image", "不得超过 10 MB", "may be at most 10 MB"),
        [ImageUse.WeChatThumb] = new(["image/jpeg"], 64 * 1024, Exclusive: false,
            "公众号缩略图", "WeChat thumbnail", "不得超过 64 KB", "may be at most 64 KB"),
        [ImageUse.WeiboPicture] = new(["image/jpeg", "image/gif", "image/png"], 5 * MB, Exclusive: true,
            "微博配图", "Weibo picture", "须小于 5 MB", "must be under 5 MB"),
    };

    public string Id => "media-limit";

    public bool ChecksImages => true;

    public void Check(RuleInput input, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(findings);
        if (input.Image is not { } image)
        {
            return;
        }

        var limit = Limits[image.Use];
        var account = input.Context?.AccountName;
        var zhAccount = account is null ? "" : $"，账号“{account}”";
        var enAccount = account is null ? "" : $" (account \"{account}\")";
        var use = image.Use.ToString();
        if (!limit.Types.Contains(image.ContentType, StringComparer.Ordinal))
        {
            var zhTypes = string.Join("、", limit.Types.Select(Display));
            var enTypes = JoinOr(limit.Types.Select(Display).ToList());
            Add("type", $"{limit.Zh}“{image.Name}”是 {Display(image.ContentType)} 格式{zhAccount}只接受 {zhTypes} / "
                + $"The {limit.En} \"{image.Name}\" is a {Display(image.ContentType)}{enAccount}; only {enTypes} is accepted");
        }

        var tooBig = limit.Exclusive ? image.Bytes >= limit.MaxBytes : image.Bytes > limit.MaxBytes;
        if (tooBig)
        {
            Add("size", $"{limit.Zh}“{image.Name}”大小为 {Size(image.Bytes, "字节")}{zhAccount}{limit.LimitZh} / "
                + $"The {limit.En} \"{image.Name}\" is {Size(image.Bytes, "bytes")}{enAccount}; it {limit.LimitEn}");
        }

        void Add(string what, string message)
        {
            var text = input.Text;
            var start = Math.Clamp(image.Start, 0, text.Length);
            var length = Math.Clamp(image.Length, 0, text.Length - start);
            findings.Add(new Finding
            {
                RuleId = Id, Severity = Severity.Block, Field = input.Field, Matched = text.Substring(start, length),
                Start = start, Length = length, Source = $"media-limit:{use}:{what}@{account}", Message = message,
            });
        }
    }

    private static string Display(string? contentType) => contentType switch
    {
        "image/jpeg" => "JPG",
        "image/png" => "PNG",
        "image/gif" => "GIF",
        "image/bmp" => "BMP",
        null => "未知 / unknown",
        _ => contentType,
    };

    private static string JoinOr(List<string> items) =>
        items.Count <= 1 ? string.Concat(items) : string.Join(", ", items.Take(items.Count - 1)) + " or " + items[^1];

    private static string Size(long bytes, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)MB:0.00} MB ({bytes:N0} {unit})");
}
