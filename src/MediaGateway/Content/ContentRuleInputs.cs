using MediaGateway.Accounts;
using MediaGateway.Platforms;
using MediaGateway.Rules;

namespace MediaGateway.Content;

/// <summary>
/// What the rules check for one item and one account: the title, summary and body against that account's link
/// allow-list, and for Weibo the post exactly as it will be sent. Used at submission (for every target) and again
/// right before each publication, when the lists may have changed since approval.
/// </summary>
public static class ContentRuleInputs
{
    public static IReadOnlyList<RuleInput> For(ContentItem item, Account account, ContentRenderer renderer)
    {
        var context = new RuleContext { AllowedLinkDomains = account.AllowedLinkDomains };
        var inputs = new List<RuleInput>
        {
            new("title", item.Title) { Context = context },
            new("body", item.Body) { Context = context },
        };
        if (item.Summary is not null) inputs.Add(new RuleInput("summary", item.Summary) { Context = context });
        if (account.Platform == Platform.Weibo)
        {
            inputs.Add(new RuleInput($"weibo:{account.Id}", renderer.RenderWeibo(item, account).Status) { Context = context });
        }

        return inputs;
    }

    /// <summary>Every finding for every target, each once.</summary>
    public static IReadOnlyList<Finding> Evaluate(RuleSet rules, ContentItem item, IEnumerable<Account> targets, ContentRenderer renderer)
    {
        using var timing = Observability.GatewayMetrics.TimeRules("submission");
        return rules.Evaluate(targets.SelectMany(a => For(item, a, renderer)))
            .DistinctBy(f => (f.RuleId, f.Field, f.Start, f.Length, f.Source))
            .ToList();
    }
}
