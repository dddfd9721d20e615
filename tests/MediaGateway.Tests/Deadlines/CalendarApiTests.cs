using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Hosting;
using MediaGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace MediaGateway.Tests.Deadlines;

/// <summary>The calendar as the API shows it, and the clear error when a deadline needs a year it lacks.</summary>
[Collection(DeadlineCollection.Name)]
public sealed class CalendarApiTests(DeadlineTestHost host)
{
    [Fact]
    public async Task AYear_ListsItsHolidaysAndAdjustedWorkingDays()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var year = (await op.GetFromJsonAsync<JsonObject>("api/calendar/2025"))!;
        var national = year["holidays"]!.AsArray().Single(h => h!["name"]!.GetValue<string>().StartsWith("国庆节", StringComparison.Ordinal))!;
        Assert.Equal(8, national["offDays"]!.AsArray().Count);
        Assert.Equal(["2025-09-28", "2025-10-11"], national["adjustedWorkingDays"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(248, year["workingDays"]!.GetValue<int>()); // the figure published for 2025
        using var missing = await op.GetAsync("api/calendar/2031");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task TheDeadlineCalculator_AnswersTheRule_OrA422NamingTheMissingYear()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var answer = (await op.GetFromJsonAsync<JsonObject>("api/calendar/deadline?category=NormativeDocument&start=2025-09-26"))!;
        Assert.Equal(new DateTimeOffset(2025, 10, 17, 0, 0, 0, TimeSpan.FromHours(8)), answer["deadline"]!.GetValue<DateTimeOffset>());

        using var response = await op.GetAsync("api/calendar/deadline?category=NormativeDocument&start=2031-12-20");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await TestData.ProblemAsync(response);
        Assert.Contains("2031", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        using var bad = await op.GetAsync("api/calendar/deadline?category=News&start=soon");
        var errors = (await TestData.ProblemAsync(bad))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("category") && errors.ContainsKey("start"));
    }

    [Theory]
    [InlineData("--Deadlines:CalendarFiles:0=calendar/holidays-1999.json", "Deadlines:CalendarFiles:0")]
    [InlineData("--Deadlines:Rules:P10:WorkingDays=0", "Deadlines:Rules:P10:WorkingDays")]
    [InlineData("--Deadlines:Rules:P13:Hours=", "Deadlines:Rules:P13")]
    [InlineData("--Dormancy:WarningDays=-1", "Dormancy:WarningDays")]
    public async Task BadDeadlineConfiguration_StopsTheStart_NamingTheKey(string arg, string key)
    {
        var error = await Record.ExceptionAsync(async () =>
        {
            await using var app = GatewayHost.Build(["--environment", "Demo", "--urls", "http://127.0.0.1:0", "--Sandbox:Enabled=false",
                "--Redis:ConnectionString=127.0.0.1:1", arg], new ConfigDirectory(RepoPaths.Config));
        });
        var configuration = Assert.IsType<ConfigurationException>(error);
        Assert.Equal(key, configuration.Key);
    }
}
