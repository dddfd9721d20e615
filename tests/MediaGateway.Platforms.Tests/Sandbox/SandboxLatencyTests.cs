using System.Net;
using System.Text.Json.Nodes;

namespace MediaGateway.Platforms.Tests.Sandbox;

/// <summary>The latency switch: a slow network on every API call until switched off; control routes stay fast.</summary>
public sealed class SandboxLatencyTests : WeChatHarness
{
    [Fact]
    public async Task Latency_SetThroughTheControlRoute_DelaysEveryApiCall_UntilSwitchedOff()
    {
        using var set = await Http.PostAsync("_sandbox/latency", new StringContent("""{"delayMs":10000}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        Assert.Equal(10000, JsonNode.Parse(await Http.GetStringAsync("_sandbox/latency"))!["delayMs"]!.GetValue<double>());

        using var impatient = new HttpClient { BaseAddress = Sandbox.BaseAddress, Timeout = TimeSpan.FromMilliseconds(300) };
        var url = $"cgi-bin/token?grant_type=client_credential&appid={AppId}&secret={Secret}";
        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.GetAsync(url));
        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.GetAsync(url)); // not used up like a fault

        Sandbox.Faults.Latency = TimeSpan.Zero;
        using var answered = await Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    [Fact]
    public async Task Latency_WithoutDelayMs_IsRefused()
    {
        using var response = await Http.PostAsync("_sandbox/latency", new StringContent("""{"delay":5}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(TimeSpan.Zero, Sandbox.Faults.Latency);
    }
}
