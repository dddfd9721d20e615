using MediaGateway.Content;
using MediaGateway.Hosting;
using MediaGateway.Rules;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MediaGateway.Tests.Content;

/// <summary>Issue 5: lists reload without restart, a bad list keeps the last good set, and rules run again before publishing.</summary>
public sealed class RuleReloadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mg-rules-").FullName;

    public RuleReloadTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "rules"));
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Config, "rules")))
        {
            File.Copy(file, Path.Combine(_dir, "rules", Path.GetFileName(file)));
        }
    }

    private string List => Path.Combine(_dir, "rules", "sensitive-expressions.txt");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AChangedList_IsReloaded_AndABadOne_KeepsTheLastGoodSet()
    {
        using var provider = new RuleSetProvider(Options.Create(new RulesOptions()), new ConfigDirectory(_dir));
        var first = provider.Current;
        Assert.Empty(first.Evaluate([new RuleInput("body", "新增敏感表述")]));

        File.AppendAllText(List, "\n新增敏感表述 | block | test\n");
        Assert.True(provider.ReloadIfChanged());
        var second = provider.Current;
        Assert.NotEqual(first.Version, second.Version);
        Assert.Equal(Severity.Block, Assert.Single(second.Evaluate([new RuleInput("body", "新增敏感表述")])).Severity);

        File.AppendAllText(List, "坏的一行 | catastrophic\n");
        Assert.False(provider.ReloadIfChanged());
        Assert.Same(second, provider.Current);
        Assert.False(provider.ReloadIfChanged()); // unchanged since: nothing to do
    }
}

[Collection(GatewayCollection.Name)]
public sealed class RulesBeforePublishingTests(GatewayTestHost host)
{
    [Fact]
    public async Task AnExpressionBlockedAfterApproval_IsNotPublished()
    {
        var word = "暂定口径" + Guid.NewGuid().ToString("N")[..4];
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var article = TestData.Article(await TestData.UploadCoverAsync(op), body: $"本文采用{word}表述。");
        article["publishAt"] = DateTimeOffset.UtcNow.AddSeconds(4).ToString("O");
        var id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        var reviews = (await TestData.GetAsync(op, id))["reviews"]!.AsArray();
        Assert.All(reviews, r => Assert.False(string.IsNullOrEmpty(r!["rulesVersion"]!.GetValue<string>())));

        await File.AppendAllTextAsync(host.SensitiveListPath, $"\n{word} | block | test\n");
        Assert.True(host.Services.GetRequiredService<RuleSetProvider>().ReloadIfChanged());

        // The reload is registered in the audit chain with the new list version (P7).
        var version = host.Services.GetRequiredService<RuleSetProvider>().Current.Version;
        var audit = host.Services.GetRequiredService<MediaGateway.Audit.AuditLog>();
        var keys = host.Services.GetRequiredService<MediaGateway.Storage.RedisKeys>();
        await TestData.Eventually(async () => (await host.Multiplexer.GetDatabase().StreamRangeAsync(keys.AuditStream))
            .Any(x => ((string?)x["body"])!.Contains(version, StringComparison.Ordinal) && ((string?)x["body"])!.Contains("rules.reloaded", StringComparison.Ordinal)),
            "the reload in the audit chain");
        Assert.True((await audit.VerifyAsync()).Intact);

        var item = await TestData.WaitForFinalPublicationsAsync(op, id);
        Assert.All(item["publications"]!.AsArray(), p =>
        {
            Assert.Equal("failed", p!["state"]!.GetValue<string>());
            Assert.Contains(word, p["error"]!["explanation"]!.GetValue<string>(), StringComparison.Ordinal);
        });
        var title = article["title"]!.GetValue<string>();
        Assert.DoesNotContain(host.WeChat.PublishedArticles, a => a.Title == title);
    }
}
