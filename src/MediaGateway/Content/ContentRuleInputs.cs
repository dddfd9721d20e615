using MediaGateway.Accounts;
using MediaGateway.Content.Rendering;
using MediaGateway.Platforms;
using MediaGateway.Rules;

namespace MediaGateway.Content;

/// <summary>
/// The stored images an item references (cover and body), by media id, with the body's references in order. Read at
/// submission for the platforms' image limits (<see cref="MediaLimitsRule"/>).
/// </summary>
internal sealed record ItemMedia(IReadOnlyDictionary<string, StoredMedia> Stored, IReadOnlyList<string> BodyMediaIds);

/// <summary>
/// What the rules check for one item and one account: the title, summary and body against that account's link
/// allow-list, and for Weibo the post exactly as it will be sent. Used at submission (for every target) and again
/// right before each publication, when the lists may have changed since approval.
/// At submission the item's images are checked too, against the limits of the platform call each will go through for
/// that account (<see cref="ItemMedia"/>). Before publication they are not: stored images never change (decision 23)
/// and the platforms' limits are not lists that reload, so the verdict given at submission still holds.
/// </summary>
internal static class ContentRuleInputs
{
    public static IReadOnlyList<RuleInput> For(ContentItem item, Account account, ContentRenderer renderer, ItemMedia? media = null)
    {
        var context = new RuleContext { AllowedLinkDomains = account.AllowedLinkDomains, AccountName = account.Name, WeiboTopicsAllowed = account.AllowsTopics };
        var inputs = new List<RuleInput>
        {
            new("title", item.Title) { Context = context },
            new("body", item.Body) { Context = context },
        };
        if (item.Summary is not null) inputs.Add(new RuleInput("summary", item.Summary) { Context = context });
        // The author line is shown on WeChat only; a Weibo text of the item's own (decision 45) is read in the post below.
        if (account.Platform == Platform.WeChat && item.Author is { Length: > 0 } author) inputs.Add(new RuleInput("author", author) { Context = context });
        if (account.Platform == Platform.Weibo)
        {
            inputs.Add(new RuleInput($"weibo:{account.Id}", renderer.RenderWeibo(item, account).Status) { Context = context });
        }

        if (media is not null) inputs.AddRange(ImageInputs(item, account, media, context));
        return inputs;
    }

    /// <summary>Every finding for every target, each once; with <paramref name="media"/>, the images' limits too.</summary>
    public static IReadOnlyList<Finding> Evaluate(RuleSet rules, ContentItem item, IEnumerable<Account> targets, ContentRenderer renderer,
        ItemMedia? media = null)
    {
        using var timing = Observability.GatewayMetrics.TimeRules("submission");
        return rules.Evaluate(targets.SelectMany(a => For(item, a, renderer, media)))
            .DistinctBy(f => (f.RuleId, f.Field, f.Start, f.Length, f.Source))
            .ToList();
    }

    /// <summary>
    /// One input per image this account will receive: for WeChat the body images (media/uploadimg) and the cover
    /// (permanent image material), for Weibo the cover as the post's picture. A body image's finding marks its
    /// <c>media:ID</c> in the body; the cover's marks the coverMediaId.
    /// </summary>
    private static IEnumerable<RuleInput> ImageInputs(ContentItem item, Account account, ItemMedia media, RuleContext context)
    {
        if (account.Platform == Platform.WeChat)
        {
            foreach (var id in media.BodyMediaIds)
            {
                if (!media.Stored.TryGetValue(id, out var image)) continue;
                var reference = ContentRenderer.MediaReference(id);
                var at = item.Body.IndexOf(reference, StringComparison.Ordinal);
                yield return new RuleInput("body", item.Body)
                {
                    Context = context,
                    Image = Facts(ImageUse.WeChatBodyImage, image, Math.Max(at, 0), at < 0 ? 0 : reference.Length),
                };
            }
        }

        if (account.Platform == Platform.WeChat && item.CoverMediaId is { } cover && media.Stored.TryGetValue(cover, out var stored))
        {
            yield return new RuleInput("coverMediaId", cover) { Context = context, Image = Facts(ImageUse.WeChatCover, stored, 0, cover.Length) };
        }

        // The Weibo picture: the variant's own (decision 45), else the cover.
        if (account.Platform == Platform.Weibo && ContentRenderer.WeiboPicture(item) is { } picture && media.Stored.TryGetValue(picture, out var pictureFile))
        {
            var field = item.Weibo?.Pictures is null ? "coverMediaId" : "weibo.pictures[0]";
            yield return new RuleInput(field, picture) { Context = context, Image = Facts(ImageUse.WeiboPicture, pictureFile, 0, picture.Length) };
        }
    }

    private static ImageFacts Facts(ImageUse use, StoredMedia image, int start, int length) =>
        new(use, image.FileName, image.ContentType, image.Size, start, length);
}
