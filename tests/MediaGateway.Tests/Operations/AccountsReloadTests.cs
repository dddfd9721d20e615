using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Operations;

/// <summary>A gateway with one more included file of accounts, which the test edits while it runs.</summary>
public sealed class AccountsReloadHost : GatewayTestHost
{
    public static readonly string FilePath = Path.Combine(Path.GetTempPath(), "mg-reload-" + Guid.NewGuid().ToString("N"), "accounts.json");

    public AccountsReloadHost() : base(Prepare())
    {
    }

    private static string[] Prepare()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        File.WriteAllText(FilePath, """{ "Accounts": {} }""");
        return [$"--Gateway:IncludeFiles:4={FilePath}", "--Operations:ConfigReloadSeconds=1"];
    }
}

public sealed class AccountsReloadTests(AccountsReloadHost host) : IClassFixture<AccountsReloadHost>
{
    private const string AdminToken = "mgdemo-admin-zhou";

    [Fact]
    public async Task AnAccountAddedToTheFile_OpensWithoutRestart_AndABadFileKeepsTheLastGoodSet()
    {
        using var admin = host.Client(AdminToken);
        await WriteAsync(Account("wx-reload", "WeChatSubscription", "wx5d3c0demo0021"));
        await TestData.Eventually(() => HasAccountAsync(admin, "wx-reload"), "wx-reload opened from the reloaded file", TimeSpan.FromSeconds(60));
        var status = await StatusAsync(admin);
        Assert.Null(status["problem"]);
        Assert.Contains(status["notes"]!.AsArray(), n => n!.GetValue<string>().StartsWith("wx-reload: opened", StringComparison.Ordinal));

        // Broken JSON: refused, said why, and the accounts stay.
        await File.WriteAllTextAsync(AccountsReloadHost.FilePath, """{ "Accounts": { "wx-reload": """);
        await TestData.Eventually(async () => (await StatusAsync(admin))["problem"] is not null, "the broken file is refused", TimeSpan.FromSeconds(60));
        Assert.Contains("accounts.json", (await StatusAsync(admin))["problem"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(await HasAccountAsync(admin, "wx-reload"));

        // A bad key: refused as a whole with the key named; the good new account in the same file is not opened either.
        await WriteAsync(Account("wx-reload", "WeChatSubscription", "wx5d3c0demo0021"), Account("wx-reload2", "WeChatSubscription", "wx5d3c0demo0022"),
            Account("wx-bad", "Nonsense", "wx5d3c0demo0023"));
        await TestData.Eventually(async () => (await StatusAsync(admin))["problem"]?.GetValue<string>().Contains("Accounts:wx-bad:Kind", StringComparison.Ordinal) == true,
            "the bad key is named", TimeSpan.FromSeconds(60));
        Assert.False(await HasAccountAsync(admin, "wx-bad"));
        Assert.False(await HasAccountAsync(admin, "wx-reload2"));

        // Fixed: applied.
        await WriteAsync(Account("wx-reload", "WeChatSubscription", "wx5d3c0demo0021"), Account("wx-reload2", "WeChatSubscription", "wx5d3c0demo0022"));
        await TestData.Eventually(() => HasAccountAsync(admin, "wx-reload2"), "wx-reload2 opened once the file is good", TimeSpan.FromSeconds(60));
        Assert.Null((await StatusAsync(admin))["problem"]);

        using var op = host.Client(GatewayTestHost.OperatorToken);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await op.GetAsync("api/operations/reload")).StatusCode);
    }

    private static async Task<bool> HasAccountAsync(HttpClient admin, string id) =>
        (await admin.GetFromJsonAsync<JsonArray>("api/accounts"))!.Any(a => a!["id"]!.GetValue<string>() == id);

    private static async Task<JsonObject> StatusAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonObject>("api/operations/reload"))!["reloads"]!.AsArray().First(r => r!["what"]!.GetValue<string>() == "accounts")!.AsObject();

    private static Task WriteAsync(params JsonObject[] accounts)
    {
        var all = new JsonObject();
        foreach (var a in accounts)
        {
            var id = a["id"]!.GetValue<string>();
            a.Remove("id");
            all[id] = a;
        }

        return File.WriteAllTextAsync(AccountsReloadHost.FilePath, new JsonObject { ["Accounts"] = all }.ToJsonString());
    }

    private static JsonObject Account(string id, string kind, string appId) => new()
    {
        ["id"] = id, ["Platform"] = "WeChat", ["Kind"] = kind, ["Name"] = $"重载测试 {id}", ["AppId"] = appId,
        ["AppSecretRef"] = "file:demo/secrets/wx-city.appsecret", ["AllowedLinkDomains"] = new JsonArray("www.example.gov.cn"),
        ["Ownership"] = new JsonObject
        {
            ["OpeningUnit"] = "city-gov-office", ["SupervisingDepartment"] = "city-info-office", ["OperatingTeam"] = "city-news-team",
            ["ResponsiblePerson"] = new JsonObject { ["Name"] = "王敏", ["Contact"] = "0000-12345678" }, ["FilingNumber"] = $"示政务新媒备〔2025〕{appId[^3..]}号",
        },
    };
}
