using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MediaGateway.Content;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace MediaGateway.Tests.Content;

/// <summary>
/// Text hygiene at the door (decision 25): every text a person sends is refused with a 400 naming the field and the
/// character position when it carries a control character, a direction control, a BOM, a lone surrogate or nothing but
/// invisible characters; nothing is stored. Zero-width characters inside words pass the door and become a rule finding.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class TextHygieneTests(GatewayTestHost host)
{
    /// <summary>The field's first reason, after checking it names the position in both languages and the code point.</summary>
    private static string Reason(JsonObject problem, string field, int position, string codePoint)
    {
        var reasons = problem["errors"]?[field]?.AsArray();
        Assert.True(reasons is { Count: > 0 }, $"no error for '{field}': {problem.ToJsonString()}");
        var reason = reasons![0]!.GetValue<string>();
        Assert.Contains($"第 {position} 个字符", reason, StringComparison.Ordinal);
        Assert.Contains($"character {position} ", reason, StringComparison.Ordinal);
        Assert.Contains(codePoint, reason, StringComparison.Ordinal);
        Assert.True(reason.IndexOf('第') < reason.IndexOf("character", StringComparison.Ordinal), "Chinese first: " + reason);
        return reason;
    }

    private async Task<(HttpStatusCode Status, JsonObject Problem, long Before, long After)> SubmitRawAsync(Func<JsonObject, string> json)
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var article = TestData.Article(await TestData.UploadCoverAsync(op));
        var before = await host.StoredItemsAsync();
        using var response = await op.PostAsync("api/content", new StringContent(json(article), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        var problem = response.StatusCode == HttpStatusCode.Created ? new JsonObject() : await TestData.ProblemAsync(response);
        return (response.StatusCode, problem, before, await host.StoredItemsAsync());
    }

    private Task<(HttpStatusCode Status, JsonObject Problem, long Before, long After)> SubmitAsync(string field, string value) =>
        SubmitRawAsync(a =>
        {
            a[field] = value;
            return a.ToJsonString();
        });

    [Theory]
    [InlineData("title", "政府\u202E通知", 3, "U+202E")]     // right-to-left override
    [InlineData("title", "政府\u2066通知\u2069", 3, "U+2066")] // left-to-right isolate
    [InlineData("title", "政府\u202A通知", 3, "U+202A")]     // left-to-right embedding
    [InlineData("title", "政府\0通知", 3, "U+0000")]        // NUL
    [InlineData("title", "政府\a通知", 3, "U+0007")]        // BEL
    [InlineData("title", "\u001b[31m通知", 1, "U+001B")]    // ESC (a terminal colour)
    [InlineData("title", "\uFEFF通知", 1, "U+FEFF")]        // BOM
    [InlineData("title", "通知\u0085", 3, "U+0085")]        // C1 next line
    [InlineData("title", "通知\n第二行", 3, "U+000A")]       // a title is one line
    [InlineData("title", "通\u007f知", 2, "U+007F")]        // DEL
    [InlineData("title", "😀政府\u202E", 4, "U+202E")]       // an emoji is one character, not two UTF-16 units
    [InlineData("summary", "营商\u202E环境", 3, "U+202E")]
    [InlineData("summary", "营商\0环境", 3, "U+0000")]
    [InlineData("body", "正文第一段。\n\n第二\u202E段。", 11, "U+202E")]
    [InlineData("body", "正文\r第二段", 3, "U+000D")]       // a carriage return that does not end a line
    [InlineData("body", "正文\u0000", 3, "U+0000")]
    [InlineData("author", "李\u2067四", 2, "U+2067")]
    [InlineData("documentNumber", "示政办发\u202D〔2026〕12号", 5, "U+202D")]
    public async Task AForbiddenCharacter_Is400NamingFieldAndPosition_AndNothingIsStored(string field, string value, int position, string codePoint)
    {
        var (status, problem, before, after) = await SubmitAsync(field, value);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Reason(problem, field, position, codePoint);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task TheReasonReadsAsTheIssueAsks()
    {
        var (_, problem, _, _) = await SubmitAsync("title", "通知公告\u202E");
        Assert.Equal("第 5 个字符是不可见的方向控制符 U+202E，不允许 / character 5 is U+202E RIGHT-TO-LEFT OVERRIDE, an invisible direction control, not allowed",
            problem["errors"]!["title"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("title", "\u200B\u200B")]
    [InlineData("title", " \u200B \u200D ")]
    [InlineData("summary", "\u2060")]
    [InlineData("title", "\u3164\u3164")] // Hangul filler: looks like a blank, is a letter to .NET
    [InlineData("title", "\uFFA0 \u115F\u1160")] // halfwidth and jamo fillers
    [InlineData("title", "\u2800\u2800")] // braille pattern blank, the usual "empty" name
    [InlineData("summary", "\u180E")] // Mongolian vowel separator
    [InlineData("title", "\U000E0068\U000E0069")] // tag characters: a hidden ASCII text
    public async Task AFieldOfOnlyInvisibleCharacters_IsRefused(string field, string value)
    {
        var (status, problem, before, after) = await SubmitAsync(field, value);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var reason = problem["errors"]![field]![0]!.GetValue<string>();
        Assert.Contains("不可见", reason, StringComparison.Ordinal);
        Assert.Contains("invisible", reason, StringComparison.Ordinal);
        Assert.Equal(before, after);
    }

    /// <summary>
    /// The JSON reader itself refuses an escaped lone surrogate (System.Text.Json does not make a string of it), before
    /// there is a text to count in: the answer names the field, and the unit when the reader said which.
    /// </summary>
    [Theory]
    [InlineData("title", "a\\ud800b", "")]
    [InlineData("body", "a\\ud800", "")]
    [InlineData("summary", "a\\udc00b", "U+DC00")]
    public async Task ALoneSurrogateInTheJson_Is400NamingTheField(string field, string escaped, string named)
    {
        var (status, problem, before, after) = await SubmitRawAsync(a =>
        {
            a[field] = "ab";
            return a.ToJsonString().Replace("\"ab\"", $"\"{escaped}\"", StringComparison.Ordinal);
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var reason = problem["errors"]?[field]?[0]?.GetValue<string>() ?? "";
        Assert.True(reason.StartsWith("含有孤立的代理项", StringComparison.Ordinal) && reason.Contains("lone surrogate", StringComparison.Ordinal), reason);
        Assert.Contains(named, reason, StringComparison.Ordinal);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task ABody_KeepsLineBreaksAndTabs_AndWindowsLineEndsAreStoredAsLineFeeds()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var article = TestData.Article(cover, body: $"第一段：\t说明。\r\n\r\n![配图](media:{cover})\r\n\r\n第二段。");
        article["summary"] = "第一行\r\n第二行";
        var item = await TestData.SubmitAsync(op, article);
        var read = await TestData.GetAsync(op, item["id"]!.GetValue<string>());
        Assert.Equal($"第一段：\t说明。\n\n![配图](media:{cover})\n\n第二段。", read["body"]!.GetValue<string>());
        Assert.Equal("第一行\n第二行", read["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task ARevision_WithAForbiddenCharacter_IsRefused_AndTheItemStaysAsItWas()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var article = TestData.Article(await TestData.UploadCoverAsync(op));
        var item = await TestData.SubmitAsync(op, article);
        var id = item["id"]!.GetValue<string>();
        article["title"] = "改后\u202E标题";
        using var response = await op.PutAsJsonAsync($"api/content/{id}", article);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Reason(await TestData.ProblemAsync(response), "title", 3, "U+202E");
        var read = await TestData.GetAsync(op, id);
        Assert.Equal(1, read["revision"]!.GetValue<int>());
        Assert.Equal(item["title"]!.GetValue<string>(), read["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task AReviewComment_WithADirectionOverride_IsRefused_AndNoDecisionIsRecorded()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var id = (await TestData.SubmitAsync(op, TestData.Article(await TestData.UploadCoverAsync(op))))["id"]!.GetValue<string>();
        using var reviewer = host.Client(GatewayTestHost.Reviewer1Token);
        using var response = await TestData.ReviewAsync(reviewer, id, "reject", comment: "不同意\u202E意同");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Reason(await TestData.ProblemAsync(response), "comment", 4, "U+202E");
        var read = await TestData.GetAsync(op, id);
        Assert.Equal("inReview", read["status"]!.GetValue<string>());
        Assert.Empty(read["reviews"]!.AsArray());
    }

    [Fact]
    public async Task AReviewComment_MayHaveSeveralLines()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var id = (await TestData.SubmitAsync(op, TestData.Article(await TestData.UploadCoverAsync(op))))["id"]!.GetValue<string>();
        using var reviewer = host.Client(GatewayTestHost.Reviewer1Token);
        using var response = await TestData.ReviewAsync(reviewer, id, "reject", comment: "请修改：\r\n1. 标题\n2.\t正文");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AWithdrawalReason_WithANul_IsRefused_AndTheItemIsNotWithdrawn()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var id = (await TestData.SubmitAsync(op, TestData.Article(await TestData.UploadCoverAsync(op))))["id"]!.GetValue<string>();
        using var response = await op.PostAsJsonAsync($"api/content/{id}/withdraw", new { reason = "重复\0提交" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Reason(await TestData.ProblemAsync(response), "reason", 3, "U+0000");
        Assert.Equal("inReview", (await TestData.GetAsync(op, id))["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("co\0ver.png", 3, "U+0000")]
    [InlineData("gnp.\u202Eexe.png", 5, "U+202E")]
    [InlineData("\uFEFFcover.png", 1, "U+FEFF")]
    public async Task AnUploadName_WithAForbiddenCharacter_IsRefused_AndNothingIsStored(string name, int position, string codePoint)
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var bytes = TestData.Gif();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        // The RFC 5987 form (filename*=UTF-8''…), which carries any character, a NUL included.
        file.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"file\"; filename*=UTF-8''{Uri.EscapeDataString(name)}");
        form.Add(file);
        using var response = await op.PostAsync("api/media", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Reason(await TestData.ProblemAsync(response), "file", position, codePoint);
        var id = MediaStore.IdFor(Convert.ToHexStringLower(SHA256.HashData(bytes)), name);
        Assert.False(await host.Multiplexer.GetDatabase().KeyExistsAsync(host.Services.GetRequiredService<RedisKeys>().Media(id)));
    }

    [Fact]
    public async Task AWebhookDescription_WithADirectionOverride_IsRefused_AndNoSubscriptionIsMade()
    {
        using var department = host.Client(GatewayTestHost.DepartmentToken);
        var marker = TestData.Unique("hygiene");
        using var response = await department.PostAsJsonAsync("api/webhooks/subscriptions", new
        {
            url = host.Receiver.UrlFor(GatewayTestHost.ReceiverName).ToString(), description = marker + "\u202E",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Reason(await TestData.ProblemAsync(response), "description", marker.Length + 1, "U+202E");
        var list = await department.GetStringAsync("api/webhooks/subscriptions");
        Assert.DoesNotContain(marker, list, StringComparison.Ordinal);
    }

    /// <summary>Every other door a person types text through: the check comes before anything is looked up or written.</summary>
    [Theory]
    [InlineData(GatewayTestHost.OperatorToken, "api/content/c-none/retraction", "{\"reason\":\"撤\\u202e销\"}", "reason", 2)]
    [InlineData(GatewayTestHost.Reviewer3Token, "api/content/c-none/retraction/decision", "{\"decision\":\"reject\",\"comment\":\"\\u0007\"}", "comment", 1)]
    [InlineData(GatewayTestHost.Reviewer1Token, "api/content/c-none/secrecy-clearance", "{\"comment\":\"无\\u2066密\"}", "comment", 2)]
    [InlineData(GatewayTestHost.Reviewer1Token, "api/content/c-none/consultation", "{\"units\":\"市\\u0000委\",\"summary\":\"会商\"}", "units", 2)]
    [InlineData(GatewayTestHost.Reviewer1Token, "api/content/c-none/agency-confirmations", "{\"agency\":\"市委\",\"note\":\"\\ufeff好\"}", "note", 1)]
    [InlineData(GatewayTestHost.OperatorToken, "api/publications/p-none/redrive", "{\"reason\":\"重试\\u001b\"}", "reason", 3)]
    [InlineData("mgdemo-admin-zhou", "api/accounts/wx-nowhere/pause", "{\"reason\":\"暂停\\u202e\"}", "reason", 3)]
    [InlineData("mgdemo-admin-zhou", "api/accounts/wx-nowhere/suspend", "{\"reason\":\"\\u0085\"}", "reason", 1)]
    [InlineData("mgdemo-admin-zhou", "api/accounts", "{\"id\":\"wx-hygiene\",\"reason\":\"开设\",\"name\":\"市\\u202e政府\"}", "name", 2)]
    [InlineData("mgdemo-admin-zhou", "api/accounts", "{\"id\":\"wx-hygiene\",\"reason\":\"开设\",\"ownership\":{\"openingUnit\":\"市\\u0000\"}}", "ownership.openingUnit", 2)]
    [InlineData("mgdemo-admin-zhou", "api/accounts", "{\"id\":\"wx-hygiene\",\"reason\":\"开设\",\"allowedLinkDomains\":[\"gov.cn\",\"x\\u202e.cn\"]}", "allowedLinkDomains[1]", 2)]
    [InlineData(GatewayTestHost.OperatorToken, "api/drafts/render", "{\"title\":\"草\\u202e稿\",\"body\":\"正文\"}", "title", 2)]
    public async Task EveryDoor_RefusesForbiddenCharacters_NamingFieldAndPosition(string token, string path, string json, string field, int position)
    {
        using var client = host.Client(token);
        using var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await TestData.ProblemAsync(response);
        var reason = problem["errors"]?[field]?[0]?.GetValue<string>();
        Assert.True(reason is not null, $"no error for '{field}': {problem.ToJsonString()}");
        Assert.Contains($"第 {position} 个字符", reason, StringComparison.Ordinal);
        Assert.Contains($"character {position} ", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAccountChange_WithAForbiddenName_IsRefused_AndTheAccountKeepsItsName()
    {
        using var admin = host.Client("mgdemo-admin-zhou");
        async Task<string> NameAsync() => JsonNode.Parse(await admin.GetStringAsync("api/accounts"))!.AsArray()
            .Single(a => a!["id"]!.GetValue<string>() == "wx-city")!["name"]!.GetValue<string>();
        var before = await NameAsync();
        using var response = await admin.PatchAsJsonAsync("api/accounts/wx-city", new { reason = "改名", name = "示例市\u202E政府" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Reason(await TestData.ProblemAsync(response), "name", 4, "U+202E");
        Assert.Equal(before, await NameAsync());
    }

    [Fact]
    public async Task AZeroWidthSpaceInsideAWord_PassesTheDoor_AsAFindingNamingItsPosition_AndTheSplitWordIsStillFound()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var article = TestData.Article(cover, title: "营商\u200B环境" + TestData.Unique(""), body: $"据悉有小\u200B道\u200C消息称。\n\n![配图](media:{cover})");
        var item = await TestData.SubmitAsync(op, article);
        var findings = item["findings"]!.AsArray().Select(f => f!.AsObject()).ToList();

        var title = Assert.Single(findings, f => f["ruleId"]!.GetValue<string>() == "invisible-character" && f["field"]!.GetValue<string>() == "title");
        Assert.Equal("flag", title["severity"]!.GetValue<string>());
        Assert.Equal(2, title["start"]!.GetValue<int>());
        var message = title["message"]!.GetValue<string>();
        Assert.StartsWith("第 3 个字符", message, StringComparison.Ordinal);
        Assert.Contains("U+200B", message, StringComparison.Ordinal);
        Assert.Contains("character 3 ", message, StringComparison.Ordinal);

        var body = Assert.Single(findings, f => f["ruleId"]!.GetValue<string>() == "invisible-character" && f["field"]!.GetValue<string>() == "body");
        Assert.Contains("2", body["message"]!.GetValue<string>(), StringComparison.Ordinal); // two of them
        Assert.Contains(findings, f => f["ruleId"]!.GetValue<string>() == "sensitive-expression" && f["field"]!.GetValue<string>() == "body"
            && f["matched"]!.GetValue<string>() == "小\u200B道\u200C消息");
    }

    /// <summary>
    /// Characters that draw as blanks (Hangul and braille fillers) or not at all (tag characters, which can carry a
    /// whole hidden ASCII text) inside a text are shown to the reviewer as the zero-width ones are. A flag's tag
    /// sequence (🏴 with tags and the cancel tag) is an emoji, not hidden text.
    /// </summary>
    [Fact]
    public async Task FillersAndTagCharactersInsideAText_AreFindings_ButAFlagSequenceIsNot()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var flag = "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F";
        var article = TestData.Article(cover, title: "通知\U000E0068\U000E0069公告" + TestData.Unique(""),
            body: $"据悉有小\u3164道消息{flag}。又有小\U000E0041道消息。\n\n![配图](media:{cover})");
        article["summary"] = "摘要" + flag;
        var item = await TestData.SubmitAsync(op, article);
        var findings = item["findings"]!.AsArray().Select(f => f!.AsObject()).Where(f => f["ruleId"]!.GetValue<string>() == "invisible-character").ToList();

        var title = Assert.Single(findings, f => f["field"]!.GetValue<string>() == "title");
        Assert.Equal(2, title["start"]!.GetValue<int>());
        Assert.Equal(2, title["length"]!.GetValue<int>()); // one code point, two UTF-16 units
        Assert.Contains("U+E0068", title["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("（共 2 处）", title["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var body = Assert.Single(findings, f => f["field"]!.GetValue<string>() == "body");
        Assert.Contains("U+3164", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("（共 2 处）", body["message"]!.GetValue<string>(), StringComparison.Ordinal); // the filler and the lone tag; the flag's tags are not counted
        Assert.DoesNotContain(findings, f => f["field"]!.GetValue<string>() == "summary");
        Assert.Contains(item["findings"]!.AsArray(), f => f!["ruleId"]!.GetValue<string>() == "sensitive-expression"
            && f["matched"]!.GetValue<string>() == "小\u3164道消息"); // the filler does not hide the word
        Assert.Contains(item["findings"]!.AsArray(), f => f!["ruleId"]!.GetValue<string>() == "sensitive-expression"
            && f["matched"]!.GetValue<string>() == "小\U000E0041道消息"); // nor does a tag character
    }
}
