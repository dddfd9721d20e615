using MediaGateway.Hosting;

using System.ComponentModel;

namespace MediaGateway.Content;

/// <summary>What an operator sends to submit an item for review. Texts pass text hygiene first (decision 25): only the body and summary may span lines.</summary>
internal sealed record SubmitContentRequest
{
    /// <summary>Title; at most 32 characters when a WeChat account is targeted.</summary>
    public string? Title { get; init; }
    /// <summary>Digest/summary; at most 128 characters.</summary>
    [MultiLineText]
    public string? Summary { get; init; }
    /// <summary>Author shown on WeChat; at most 16 characters.</summary>
    public string? Author { get; init; }
    /// <summary>Markdown. Images: <c>![alt](media:ID)</c> with ids from POST /api/media.</summary>
    [MultiLineText]
    public string? Body { get; init; }
    /// <summary><c>markdown</c> or <c>html</c> (from a rich-text editor); omitted = detected.</summary>
    public Rendering.BodyFormat? BodyFormat { get; init; }
    /// <summary>The item's page on the organisation's site; required for Weibo (must be on the account's safe domain).</summary>
    public string? Link { get; init; }
    /// <summary>Cover image (media id); required for WeChat.</summary>
    public string? CoverMediaId { get; init; }
    /// <summary>Account ids to publish to.</summary>
    public List<string>? Targets { get; init; }
    public ContentCategory? Category { get; init; }
    /// <summary>NormativeDocument: its document number (文号), e.g. "示政办发〔2026〕12号".</summary>
    public string? DocumentNumber { get; init; }
    /// <summary>NormativeDocument, PolicyInterpretation: the day the (interpreted) document was issued — the P10/P12 clocks start here.</summary>
    [Description("yyyy-MM-dd, in the years 2000–2199 (decision 27)")]
    public DateOnly? IssuedOn { get; init; }
    /// <summary>PolicyInterpretation: the document interpreted (title or number).</summary>
    public string? InterpretedDocument { get; init; }
    /// <summary>LivelihoodActivity: when the activity ends — the P11 24-hour clock starts here.</summary>
    [Description("From 2000-01-01 (China time) to 366 days ahead (decision 27)")]
    public DateTimeOffset? ActivityEndsAt { get; init; }
    /// <summary>P8: other administrative agencies the item involves; each must confirm before release.</summary>
    public List<string>? Agencies { get; init; }
    /// <summary>P9: the item touches a major sensitive matter; a consultation with related units must be recorded before release.</summary>
    public bool Sensitive { get; init; }
    /// <summary>When to publish; omitted = as soon as approved.</summary>
    [Description("From 24 hours ago (then: as soon as approved) to 366 days ahead; omitted = as soon as approved (decision 27)")]
    public DateTimeOffset? PublishAt { get; init; }
    /// <summary>Issue 22: the Weibo post's own text and pictures (decision 45); omitted = "【title】summary link" with the cover.</summary>
    public WeiboVariant? Weibo { get; init; }
    /// <summary>Issue 22: the WeChat article's original link and comment setting (decision 45).</summary>
    public WeChatOptions? WeChat { get; init; }
    /// <summary>
    /// <c>nextFree</c>: publish on each target account at its next free posting slot (Accounts:{id}:Slots), resolved at
    /// submission and shown as <c>slotTimes</c>; every target must have slots. Not together with publishAt (decision 44).
    /// </summary>
    public Scheduling.SlotChoice? Slot { get; init; }
}
