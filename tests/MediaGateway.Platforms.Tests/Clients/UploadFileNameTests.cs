using MediaGateway.Platforms.Internal;

namespace MediaGateway.Platforms.Tests.Clients;

/// <summary>The name an upload goes out with: the operator's name, ending in the extension of the bytes' real type.</summary>
public sealed class UploadFileNameTests
{
    [Theory]
    [InlineData("封面.png", ImageTypes.Png, "封面.png")]
    [InlineData("封面.PNG", ImageTypes.Jpeg, "封面.jpg")]
    [InlineData("cover.jpeg", ImageTypes.Jpeg, "cover.jpg")]
    [InlineData("发布会现场", ImageTypes.Jpeg, "发布会现场.jpg")]
    [InlineData("2026.05.01 通知", ImageTypes.Png, "2026.05.01 通知.png")]
    [InlineData("", ImageTypes.Gif, "image.gif")]
    [InlineData(null, ImageTypes.Png, "image.png")]
    [InlineData(".png", ImageTypes.Png, "image.png")]
    [InlineData("a\r\nb.png", ImageTypes.Png, "ab.png")]
    [InlineData("C:\\Users\\li\\封面.png", ImageTypes.Png, "封面.png")]
    [InlineData("notes.txt", "text/plain", "notes.txt")]
    public void NameFor_KeepsTheNameAndPutsTheRightExtension(string? given, string type, string expected) =>
        Assert.Equal(expected, UploadFile.NameFor(given, type));
}
