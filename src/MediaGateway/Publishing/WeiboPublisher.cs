using MediaGateway.Content;
using MediaGateway.Hosting;
using MediaGateway.Platforms.Weibo;
using Microsoft.Extensions.Options;

namespace MediaGateway.Publishing;

/// <summary>
/// The Weibo steps: read the picture, store the send marker, statuses/share. After an unknown outcome the
/// post is looked up in the account's timeline before anything is posted again; 20032/20053 count as published.
/// </summary>
public sealed class WeiboPublisher(WeiboClient client, ContentRenderer renderer, PublicationMedia media, PublicationOutcomes outcomes,
    PublishingControl control, IOptions<PlatformsOptions> platforms, IOptions<PublishingOptions> options)
{
    internal async Task<Step> NextAsync(StepContext c, CancellationToken ct)
    {
        var (p, account, item, now) = (c.Publication, c.Account, c.Item, c.Now);
        var rendered = renderer.RenderWeibo(item, account);
        var credentials = account.WeiboCredentials();
        if (c.FirstLook && p.SendStartedAt is not null)
        {
            var found = await client.FindRecentPostAsync(credentials, account.WeiboUid, rendered.Status, p.SendStartedAt.Value, maxPages: 3, ct);
            return found is null
                ? outcomes.NotFoundYet(p, TimeSpan.FromSeconds(options.Value.ReconcileWindowSeconds))
                : outcomes.Published(p, item, found.IdStr, UrlOf(account.WeiboUid, found.IdStr),
                    $"found on the platform after an unknown outcome (idstr {found.IdStr})");
        }

        // Everything the send needs is read before the marker is stored, so a marker always means "a send may have happened".
        var picture = rendered.PictureMediaId is null ? null : await media.ReadAsync(rendered.PictureMediaId);
        if (p.SendStartedAt is null)
        {
            // The account's own hourly allowance (weibo.md: about 30 posts per user per hour) is kept before the platform refuses.
            if (await control.TryTakeSendAsync(account, new SendLimit("weibo-posts", options.Value.WeiboPostsPerHour, TimeSpan.FromHours(1))) is { } reopens)
            {
                return outcomes.HeldUntil(p, account, $"每小时发博上限 {options.Value.WeiboPostsPerHour} 条已用完 / the account's {options.Value.WeiboPostsPerHour} posts this hour are used",
                    "posts-per-hour", reopens);
            }

            return outcomes.Continue(p with { SendStartedAt = now });
        }

        var status = await client.ShareAsync(credentials, new WeiboShareRequest(rendered.Status, platforms.Value.Weibo.ClientIp, picture), ct);
        return outcomes.Published(p with { Attempts = p.Attempts + 1 }, item, status.IdStr, UrlOf(account.WeiboUid, status.IdStr),
            status.AcceptedWithoutStatus ? "accepted, held by the platform for review (20032/20053)" : $"posted (idstr {status.IdStr})");
    }

    /// <summary>Retraction: statuses/destroy.</summary>
    internal async Task RetractAsync(Publication p, Accounts.Account account, CancellationToken ct) =>
        await client.DestroyAsync(account.WeiboCredentials(), p.PlatformId!, ct);

    private string? UrlOf(string? uid, string? idStr) =>
        idStr is null ? null : new Uri(platforms.Value.Weibo.WebUrl, $"{uid}/{idStr}").ToString();
}
