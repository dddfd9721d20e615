using System.Text.Json.Nodes;
using static MediaGateway.Sandbox.WeChat.WeChatErrors;

namespace MediaGateway.Sandbox.WeChat;

/// <summary>Images for article bodies (media/uploadimg) and permanent material (material/add_material).</summary>
internal sealed partial class WeChatPlatform
{
    /// <summary>
    /// media/uploadimg: jpg/png under 1 MB. Like the platform, the type is judged twice: by the file name's extension as
    /// it came on the wire (<paramref name="fileName"/>, never decoded: an RFC 2047 encoded word has no extension) and by
    /// the bytes. Either wrong → 40005.
    /// </summary>
    public JsonObject UploadImg(byte[]? bytes, string? fileName)
    {
        if (bytes is null || bytes.Length == 0)
        {
            return Error(41005);
        }

        var kind = ImageSniffer.Detect(bytes);
        if (Uploads.Extension(fileName) is not ("jpg" or "jpeg" or "png") || kind is not (ImageKind.Jpeg or ImageKind.Png))
        {
            return Error(40005);
        }

        if (bytes.Length >= 1024 * 1024)
        {
            return Error(40006);
        }

        return new JsonObject { ["url"] = ImagePrefix + Images.Put(bytes, kind) };
    }

    /// <summary>
    /// material/add_material: image ≤10 MB bmp/png/jpeg/jpg/gif, thumb ≤64 KB jpg. The file name's extension as it came on
    /// the wire and the bytes must both be of an allowed type, else 40005 (see <see cref="UploadImg"/>).
    /// </summary>
    public JsonObject AddMaterial(string appId, string? type, byte[]? bytes, string? fileName)
    {
        if (type is not ("image" or "thumb"))
        {
            return Error(40004);
        }

        if (bytes is null || bytes.Length == 0)
        {
            return Error(41005);
        }

        var kind = ImageSniffer.Detect(bytes);
        var extension = Uploads.Extension(fileName);
        var (allowed, limit) = type == "thumb"
            ? (kind == ImageKind.Jpeg && extension is "jpg" or "jpeg", 64 * 1024)
            : (kind is ImageKind.Jpeg or ImageKind.Png or ImageKind.Gif or ImageKind.Bmp
               && extension is "bmp" or "png" or "jpeg" or "jpg" or "gif", 10 * 1024 * 1024);
        if (!allowed)
        {
            return Error(40005);
        }

        if (bytes.Length > limit)
        {
            return Error(40006);
        }

        var url = ImagePrefix + Images.Put(bytes, kind);
        var mediaId = Ids.Random(64);
        lock (_gate)
        {
            _apps[appId].Materials[mediaId] = new Material(mediaId, type, url);
        }

        return new JsonObject { ["media_id"] = mediaId, ["url"] = url };
    }

    private sealed record Material(string MediaId, string Type, string Url);
}
