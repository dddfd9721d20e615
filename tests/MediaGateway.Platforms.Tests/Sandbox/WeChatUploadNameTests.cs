using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace MediaGateway.Platforms.Tests.Sandbox;

/// <summary>
/// The sandbox judges an upload's type by the file name's extension as it came on the wire, as WeChat does: a name
/// without one, or an RFC 2047 encoded word (which a server that does not decode it sees as a name without one), is 40005.
/// </summary>
public sealed class WeChatUploadNameTests : WeChatHarness
{
    /// <summary>One multipart part whose Content-Disposition goes out byte for byte as given (UTF-8).</summary>
    private async Task<JsonObject> UploadAsync(string path, string contentDisposition, byte[] bytes)
    {
        using var content = new MultipartContent("form-data", "sandbox-boundary") { HeaderEncodingSelector = (_, _) => Encoding.UTF8 };
        var part = new ByteArrayContent(bytes);
        Assert.True(part.Headers.TryAddWithoutValidation("Content-Disposition", contentDisposition));
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part);
        using var response = await Http.PostAsync($"{path}access_token={await TokenAsync()}", content);
        return Wire.Parse(await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("cgi-bin/media/uploadimg?")]
    [InlineData("cgi-bin/material/add_material?type=image&")]
    public async Task ARawUtf8Name_WithAnAllowedExtension_IsAccepted(string path)
    {
        var answer = await UploadAsync(path, "form-data; name=\"media\"; filename=\"封面图片.png\"", TestImages.Png());

        Assert.Equal(0, Wire.Errcode(answer));
        Assert.StartsWith(Sandbox.BaseAddress + "mmbiz/", Wire.Str(answer, "url"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cgi-bin/media/uploadimg?", "filename=\"=?utf-8?B?5bCB6Z2i5Zu+54mHLnBuZw==?=\"")]
    [InlineData("cgi-bin/material/add_material?type=image&", "filename=\"=?utf-8?B?5bCB6Z2i5Zu+54mHLnBuZw==?=\"")]
    [InlineData("cgi-bin/media/uploadimg?", "filename=\"封面图片\"")]
    [InlineData("cgi-bin/media/uploadimg?", "filename=\"image.gif\"")]
    [InlineData("cgi-bin/media/uploadimg?", "filename=\"image\"; filename*=UTF-8''image.png")]
    [InlineData("cgi-bin/material/add_material?type=thumb&", "filename=\"thumb.png\"")]
    public async Task ANameWithoutAnAllowedExtension_OnTheWire_Is40005(string path, string fileName)
    {
        var bytes = path.Contains("thumb", StringComparison.Ordinal) ? TestImages.Jpeg() : TestImages.Png();

        var answer = await UploadAsync(path, $"form-data; name=\"media\"; {fileName}", bytes);

        AssertError(answer, 40005);
    }

    [Fact]
    public async Task WhatHttpClientSendsForANonAsciiName_IsAnEncodedWord_AndRefused()
    {
        // System.Net.Http encodes a non-ASCII FileName as RFC 2047 (=?utf-8?B?…?=): what RestSharp sent before.
        var token = await TokenAsync();
        var (_, answer) = await Wire.PostMultipartAsync(Http, $"cgi-bin/media/uploadimg?access_token={token}", [], "media", TestImages.Png(), "封面.png");

        AssertError(answer, 40005);
    }
}
