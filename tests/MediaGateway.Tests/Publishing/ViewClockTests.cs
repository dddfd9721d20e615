using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Publishing;

/// <summary>A gateway whose clock a test moves days ahead of the machine's.</summary>
public sealed class AheadClockHost : GatewayTestHost
{
    public JumpingClock Jumps { get; } = new();

    protected override TimeProvider Clock => Jumps;
}

/// <summary>
/// The answers word a time by the gateway's clock (the injected TimeProvider), not the machine's: a publication due
/// later today reads "定于 14:00", wherever it is shown. Views used to fall back to the system clock when a caller left
/// out the time, so on a gateway whose clock is not the machine's the same publication read "定于 2月14日 14:00" in the
/// review answer and on GET /api/publications/{id}, and "定于 14:00" on GET /api/content/{id}.
/// </summary>
public sealed class ViewClockTests(AheadClockHost host) : IClassFixture<AheadClockHost>
{
    [Fact]
    public async Task APublicationDueLaterToday_ReadsAsToday_InTheReviewAnswer_TheItem_AndThePublication()
    {
        // 10:00 in China on a day ten days after the machine's; the publication is due at 14:00 that day.
        var day = JumpingClock.NextChinaMidnight(host.Jumps.GetUtcNow()).AddDays(10);
        host.Jumps.JumpTo(day.AddHours(10));
        using var editor = host.Client(GatewayTestHost.OperatorToken);
        var article = TestData.Article(await TestData.UploadCoverAsync(editor), targets: ["wb-city"]);
        article["publishAt"] = day.AddHours(14).ToString("O");
        var id = (await TestData.SubmitAsync(editor, article))["id"]!.GetValue<string>();

        JsonObject? approved = null;
        foreach (var token in new[] { GatewayTestHost.Reviewer1Token, GatewayTestHost.Reviewer2Token, GatewayTestHost.Reviewer3Token })
        {
            using var reviewer = host.Client(token);
            using var response = await TestData.ReviewAsync(reviewer, id);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            approved = JsonNode.Parse(body)!.AsObject();
        }

        var inAnswer = Assert.Single(approved!["publications"]!.AsArray())!;
        Assert.Equal("scheduled", inAnswer["status"]!.GetValue<string>());
        Assert.Equal("定于 14:00", inAnswer["statusDetail"]!.GetValue<string>());

        var inItem = Assert.Single((await TestData.GetAsync(editor, id))["publications"]!.AsArray())!;
        Assert.Equal("定于 14:00", inItem["statusDetail"]!.GetValue<string>());

        var publication = (await editor.GetFromJsonAsync<JsonObject>($"api/publications/{inAnswer["id"]!.GetValue<string>()}"))!;
        Assert.Equal("定于 14:00", publication["statusDetail"]!.GetValue<string>());
    }
}
