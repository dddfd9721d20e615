namespace MediaGateway.Platforms.Tests.Sandbox;

public sealed class WeChatTokenTests : WeChatHarness
{
    [Fact]
    public async Task Token_WithRightCredentials_ReturnsTokenAndLifetime()
    {
        var answer = await Wire.GetJsonAsync(Http, $"cgi-bin/token?grant_type=client_credential&appid={AppId}&secret={Secret}");

        Assert.False(string.IsNullOrEmpty(Wire.Str(answer, "access_token")));
        Assert.Equal(7200, answer["expires_in"]!.GetValue<long>());
        Assert.Null(answer["errcode"]);
        Assert.Equal(1, Sandbox.TokenFetchCount(AppId));
    }

    [Theory]
    [InlineData("wxunknown", Secret, 40013)]
    [InlineData(AppId, "wrongsecret", 40125)]
    public async Task Token_WithBadCredentials_IsErrorAsHttp200WithRid(string appId, string secret, long errcode)
    {
        var response = await Http.GetAsync($"cgi-bin/token?grant_type=client_credential&appid={appId}&secret={secret}");

        Assert.Equal(200, (int)response.StatusCode);
        AssertError(Wire.Parse(await response.Content.ReadAsStringAsync()), errcode);
        Assert.Equal(0, Sandbox.TokenFetchCount(AppId));
    }

    [Fact]
    public async Task Token_FetchedAgain_OldTokenKeepsWorkingFiveMinutesOnly()
    {
        var old = await TokenAsync();
        var fresh = await TokenAsync();
        Assert.NotEqual(old, fresh);

        Time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, Wire.Errcode(await Wire.GetJsonAsync(Http, $"cgi-bin/draft/count?access_token={old}")));

        Time.Advance(TimeSpan.FromMinutes(2));
        AssertError(await Wire.GetJsonAsync(Http, $"cgi-bin/draft/count?access_token={old}"), 40001);
        Assert.Equal(0, Wire.Errcode(await Wire.GetJsonAsync(Http, $"cgi-bin/draft/count?access_token={fresh}")));
        Assert.Equal(2, Sandbox.TokenFetchCount(AppId));
    }

    [Fact]
    public async Task Token_PastLifetime_Is42001_AndMissingIs41001_AndUnknownIs40001()
    {
        var token = await TokenAsync();
        Time.Advance(TimeSpan.FromSeconds(7201));

        AssertError(await Wire.GetJsonAsync(Http, $"cgi-bin/draft/count?access_token={token}"), 42001);
        AssertError(await Wire.GetJsonAsync(Http, "cgi-bin/draft/count"), 41001);
        AssertError(await Wire.GetJsonAsync(Http, "cgi-bin/draft/count?access_token=nope"), 40001);
    }

    [Fact]
    public async Task ExpireTokens_MakesNextCall42001()
    {
        var token = await TokenAsync();
        Sandbox.ExpireTokens(AppId);

        AssertError(await Wire.PostJsonAsync(Http, $"cgi-bin/draft/batchget?access_token={token}", """{"offset":0,"count":20}"""), 42001);
    }

    [Fact]
    public async Task StableToken_NormalMode_ReturnsSameTokenWithRemainingLifetime()
    {
        const string body = $$"""{"grant_type":"client_credential","appid":"{{AppId}}","secret":"{{Secret}}","force_refresh":false}""";
        var first = await Wire.PostJsonAsync(Http, "cgi-bin/stable_token", body);
        Time.Advance(TimeSpan.FromSeconds(100));
        var second = await Wire.PostJsonAsync(Http, "cgi-bin/stable_token", body);

        Assert.Equal(Wire.Str(first, "access_token"), Wire.Str(second, "access_token"));
        Assert.Equal(7100, second["expires_in"]!.GetValue<long>());
    }

    [Fact]
    public async Task StableToken_ForceRefresh_InvalidatesOldAndIsSpacedThirtySeconds()
    {
        const string normal = $$"""{"grant_type":"client_credential","appid":"{{AppId}}","secret":"{{Secret}}"}""";
        const string force = $$"""{"grant_type":"client_credential","appid":"{{AppId}}","secret":"{{Secret}}","force_refresh":true}""";
        var old = Wire.Str(await Wire.PostJsonAsync(Http, "cgi-bin/stable_token", normal), "access_token");

        var refreshed = Wire.Str(await Wire.PostJsonAsync(Http, "cgi-bin/stable_token", force), "access_token");
        Assert.NotEqual(old, refreshed);
        AssertError(await Wire.GetJsonAsync(Http, $"cgi-bin/draft/count?access_token={old}"), 40001);
        Assert.Equal(0, Wire.Errcode(await Wire.GetJsonAsync(Http, $"cgi-bin/draft/count?access_token={refreshed}")));

        Time.Advance(TimeSpan.FromSeconds(10));
        AssertError(await Wire.PostJsonAsync(Http, "cgi-bin/stable_token", force), 45011);
    }

    [Fact]
    public async Task StableToken_WrongSecret_Is40125()
    {
        var answer = await Wire.PostJsonAsync(Http, "cgi-bin/stable_token",
            $$"""{"grant_type":"client_credential","appid":"{{AppId}}","secret":"x"}""");

        AssertError(answer, 40125);
    }

    [Fact]
    public async Task Token_OfAnotherApp_CannotSeeThisAppsDrafts()
    {
        var mine = await TokenAsync();
        await DraftAsync(mine, Article(await ThumbAsync(mine)));
        var theirs = await TokenAsync("wxother000000000", "othersecret");

        var count = await Wire.GetJsonAsync(Http, $"cgi-bin/draft/count?access_token={theirs}");

        Assert.Equal(0, count["total_count"]!.GetValue<int>());
        Assert.Equal(1, (await Wire.GetJsonAsync(Http, $"cgi-bin/draft/count?access_token={mine}"))["total_count"]!.GetValue<int>());
    }
}
