using System.Text.Json.Serialization;
using MediaGateway.Platforms.Internal;

namespace MediaGateway.Platforms.WeChat;

// The platform's JSON, field for field (wechat-mp.md). Internal: callers see the contracts in WeChatContracts.cs.

internal class WeChatResult
{
    [JsonPropertyName("errcode")]
    public int ErrCode { get; set; }

    [JsonPropertyName("errmsg")]
    public string? ErrMsg { get; set; }
}

internal sealed class StableTokenRequest
{
    [JsonPropertyName("grant_type")]
    public string GrantType { get; init; } = "client_credential";

    [JsonPropertyName("appid")]
    public required string AppId { get; init; }

    [JsonPropertyName("secret")]
    public required string Secret { get; init; }

    [JsonPropertyName("force_refresh")]
    public bool ForceRefresh { get; init; }
}

internal sealed class TokenResult : WeChatResult
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("expires_in")]
    public int ExpiresIn { get; set; }
}

internal sealed class UrlResult : WeChatResult
{
    [JsonPropertyName("url")]
    public string? Url { get; set; }
}

internal sealed class MediaIdResult : WeChatResult
{
    [JsonPropertyName("media_id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? MediaId { get; set; }

    [JsonPropertyName("url")]
    public string? Url { get; set; }
}

internal sealed class MediaIdRequest
{
    [JsonPropertyName("media_id")]
    public required string MediaId { get; init; }
}

internal sealed class ArticleWire
{
    [JsonPropertyName("title")]
    public string? Title { get; set; }

    [JsonPropertyName("author")]
    public string? Author { get; set; }

    [JsonPropertyName("digest")]
    public string? Digest { get; set; }

    [JsonPropertyName("content")]
    public string? Content { get; set; }

    [JsonPropertyName("content_source_url")]
    public string? ContentSourceUrl { get; set; }

    [JsonPropertyName("thumb_media_id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ThumbMediaId { get; set; }

    [JsonPropertyName("need_open_comment")]
    public int NeedOpenComment { get; set; }

    [JsonPropertyName("only_fans_can_comment")]
    public int OnlyFansCanComment { get; set; }

    public static ArticleWire From(WeChatArticle a) => new()
    {
        Title = a.Title,
        Author = a.Author,
        Digest = a.Digest,
        Content = a.Content,
        ContentSourceUrl = a.ContentSourceUrl,
        ThumbMediaId = a.ThumbMediaId,
        NeedOpenComment = a.NeedOpenComment,
        OnlyFansCanComment = a.OnlyFansCanComment,
    };

    public WeChatArticle ToContract() => new()
    {
        Title = Title ?? string.Empty,
        Author = NullIfEmpty(Author),
        Digest = NullIfEmpty(Digest),
        Content = Content ?? string.Empty,
        ContentSourceUrl = NullIfEmpty(ContentSourceUrl),
        ThumbMediaId = ThumbMediaId ?? string.Empty,
        NeedOpenComment = NeedOpenComment,
        OnlyFansCanComment = OnlyFansCanComment,
    };

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}

internal sealed class DraftAddRequest
{
    [JsonPropertyName("articles")]
    public required IReadOnlyList<ArticleWire> Articles { get; init; }
}

internal sealed class DraftGetResult : WeChatResult
{
    [JsonPropertyName("news_item")]
    public List<ArticleWire>? NewsItem { get; set; }
}

internal sealed class SubmitResult : WeChatResult
{
    [JsonPropertyName("publish_id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? PublishId { get; set; }

    [JsonPropertyName("msg_data_id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? MsgDataId { get; set; }
}

internal sealed class PublishIdRequest
{
    [JsonPropertyName("publish_id")]
    public required string PublishId { get; init; }
}

internal sealed class PublishGetResult : WeChatResult
{
    [JsonPropertyName("publish_id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? PublishId { get; set; }

    [JsonPropertyName("publish_status")]
    public int PublishStatus { get; set; }

    [JsonPropertyName("article_id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ArticleId { get; set; }

    [JsonPropertyName("article_detail")]
    public ArticleDetailWire? ArticleDetail { get; set; }

    [JsonPropertyName("fail_idx")]
    public List<int>? FailIdx { get; set; }
}

internal sealed class ArticleDetailWire
{
    [JsonPropertyName("count")]
    public int Count { get; set; }

    [JsonPropertyName("item")]
    public List<ArticleDetailItemWire>? Item { get; set; }
}

internal sealed class ArticleDetailItemWire
{
    [JsonPropertyName("idx")]
    public int Idx { get; set; }

    [JsonPropertyName("article_url")]
    public string? ArticleUrl { get; set; }
}

internal sealed class DeletePublishedRequest
{
    [JsonPropertyName("article_id")]
    public required string ArticleId { get; init; }

    [JsonPropertyName("index")]
    public int Index { get; init; }
}

internal sealed class DraftUpdateRequest
{
    [JsonPropertyName("media_id")]
    public required string MediaId { get; init; }

    [JsonPropertyName("index")]
    public int Index { get; init; }

    [JsonPropertyName("articles")]
    public required ArticleWire Articles { get; init; }
}

internal sealed class MassFilterWire
{
    [JsonPropertyName("is_to_all")]
    public bool IsToAll { get; init; } = true;
}

internal sealed class MassNewsWire
{
    [JsonPropertyName("media_id")]
    public required string MediaId { get; init; }
}

internal sealed class MassSendRequest
{
    [JsonPropertyName("filter")]
    public MassFilterWire Filter { get; init; } = new();

    [JsonPropertyName("mpnews")]
    public required MassNewsWire MpNews { get; init; }

    [JsonPropertyName("msgtype")]
    public string MsgType { get; init; } = "mpnews";

    [JsonPropertyName("send_ignore_reprint")]
    public int SendIgnoreReprint { get; init; }

    [JsonPropertyName("clientmsgid")]
    public required string ClientMsgId { get; init; }
}

internal sealed class MassSendResult : WeChatResult
{
    [JsonPropertyName("msg_id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? MsgId { get; set; }

    [JsonPropertyName("msg_data_id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? MsgDataId { get; set; }
}

internal sealed class MassIdRequest
{
    [JsonPropertyName("msg_id")]
    public required string MsgId { get; init; }
}

internal sealed class MassDeleteRequest
{
    [JsonPropertyName("msg_id")]
    public required string MsgId { get; init; }

    [JsonPropertyName("article_idx")]
    public int ArticleIdx { get; init; }
}

internal sealed class MassGetResult : WeChatResult
{
    [JsonPropertyName("msg_id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? MsgId { get; set; }

    [JsonPropertyName("msg_status")]
    public string? MsgStatus { get; set; }
}

internal sealed class PageRequest
{
    [JsonPropertyName("offset")]
    public int Offset { get; init; }

    [JsonPropertyName("count")]
    public int Count { get; init; }

    [JsonPropertyName("no_content")]
    public int NoContent { get; init; }
}

internal sealed class PublishedBatchResult : WeChatResult
{
    [JsonPropertyName("total_count")]
    public int TotalCount { get; set; }

    [JsonPropertyName("item_count")]
    public int ItemCount { get; set; }

    [JsonPropertyName("item")]
    public List<PublishedItemWire>? Item { get; set; }
}

internal sealed class PublishedItemWire
{
    [JsonPropertyName("article_id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ArticleId { get; set; }

    [JsonPropertyName("content")]
    public PublishedContentWire? Content { get; set; }

    [JsonPropertyName("update_time")]
    public long UpdateTime { get; set; }
}

internal sealed class PublishedContentWire
{
    [JsonPropertyName("news_item")]
    public List<PublishedNewsWire>? NewsItem { get; set; }
}

internal sealed class PublishedNewsWire
{
    [JsonPropertyName("title")]
    public string? Title { get; set; }

    [JsonPropertyName("url")]
    public string? Url { get; set; }

    [JsonPropertyName("content")]
    public string? Content { get; set; }

    [JsonPropertyName("content_source_url")]
    public string? ContentSourceUrl { get; set; }

    [JsonPropertyName("is_deleted")]
    public bool IsDeleted { get; set; }
}
