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
        using var missing = await op.GetAsync("api/calendar/2150");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task TheDeadlineCalculator_AnswersTheRule_OrA422NamingTheMissingYear()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var answer = (await op.GetFromJsonAsync<JsonObject>("api/calendar/deadline?category=NormativeDocument&start=2025-09-26"))!;
        Assert.Equal(new DateTimeOffset(2025, 10, 17, 0, 0, 0, TimeSpan.FromHours(8)), answer["deadline"]!.GetValue<DateTimeOffset>());

        Assert.False(answer["provisional"]!.GetValue<bool>());

        using var response = await op.GetAsync("api/calendar/deadline?category=NormativeDocument&start=2150-12-20");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await TestData.ProblemAsync(response);
        Assert.Contains("2150", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        using var bad = await op.GetAsync("api/calendar/deadline?category=News&start=soon");
        var errors = (await TestData.ProblemAsync(bad))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("category") && errors.ContainsKey("start"));
    }

    [Fact]
    public async Task TheDeadlineCalculator_RunsIntoAYearWithoutNotice_OnTheProvisionalCalendar()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        // P12, 5 working days from Fri 25 Dec 2026: 28 29 30 31 Dec, [1 Jan 2027 off], Mon 4 Jan → end of 4 Jan.
        using var response = await op.GetAsync("api/calendar/deadline?category=PolicyInterpretation&start=2026-12-25");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(new DateTimeOffset(2027, 1, 5, 0, 0, 0, TimeSpan.FromHours(8)), answer["deadline"]!.GetValue<DateTimeOffset>());
        Assert.True(answer["provisional"]!.GetValue<bool>());
        Assert.Contains("provisional until", answer["provisionalNote"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AYearWithoutNotice_IsShownAsItsProvisionalStatutoryCalendar()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var year = (await op.GetFromJsonAsync<JsonObject>("api/calendar/2027"))!;
        Assert.True(year["provisional"]!.GetValue<bool>());
        var offDays = year["holidays"]!.AsArray().SelectMany(h => h!["offDays"]!.AsArray().Select(d => d!.GetValue<string>())).ToList();
        Assert.Contains("2027-02-05", offDays); // Spring Festival Eve
        Assert.Contains("2027-04-05", offDays); // Qingming
        Assert.Empty(year["holidays"]!.AsArray().SelectMany(h => h!["adjustedWorkingDays"]!.AsArray()));
        Assert.False((await op.GetFromJsonAsync<JsonObject>("api/calendar/2026"))!["provisional"]!.GetValue<bool>());
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
