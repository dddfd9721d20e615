using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace MediaGateway.Sandbox;

internal enum ImageKind
{
    Unknown,
    Jpeg,
    Png,
    Gif,
    Bmp,
}

/// <summary>Image type by magic bytes (what the platforms check), never by file name or declared type.</summary>
internal static class ImageSniffer
{
    public static ImageKind Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
        {
            return ImageKind.Jpeg;
        }

        if (bytes.Length >= 8 && bytes[..8].SequenceEqual(PngMagic))
        {
            return ImageKind.Png;
        }

        if (bytes.Length >= 6 && (bytes[..6].SequenceEqual("GIF87a"u8) || bytes[..6].SequenceEqual("GIF89a"u8)))
        {
            return ImageKind.Gif;
        }

        return bytes.Length >= 2 && bytes[0] == (byte)'B' && bytes[1] == (byte)'M' ? ImageKind.Bmp : ImageKind.Unknown;
    }

    public static string Extension(ImageKind kind) => kind switch
    {
        ImageKind.Jpeg => "jpg",
        ImageKind.Png => "png",
        ImageKind.Gif => "gif",
        ImageKind.Bmp => "bmp",
        _ => "bin",
    };

    public static string MimeType(string extension) => extension switch
    {
        "jpg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "bmp" => "image/bmp",
        _ => "application/octet-stream",
    };

    private static ReadOnlySpan<byte> PngMagic => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
}

/// <summary>Content-addressed image bytes served back by a sandbox (the platform's CDN).</summary>
internal sealed class ImageStore
{
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    /// <summary>Stores the bytes and returns the file name ("{sha256}.{ext}").</summary>
    public string Put(byte[] bytes, ImageKind kind)
    {
        var name = Convert.ToHexStringLower(SHA256.HashData(bytes)) + "." + ImageSniffer.Extension(kind);
        _files.TryAdd(name, bytes);
        return name;
    }

    public IResult Serve(string name) =>
        _files.TryGetValue(name, out var bytes)
            ? Results.Bytes(bytes, ImageSniffer.MimeType(Path.GetExtension(name).TrimStart('.')))
            : Results.NotFound();
}

/// <summary>Random identifiers in the platforms' styles.</summary>
internal static class Ids
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    public static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);

    public static string Hex(int length) => RandomNumberGenerator.GetHexString(length, lowercase: true);
}

/// <summary>Reads one uploaded file from a multipart form.</summary>
internal static class Uploads
{
    public static async Task<(IFormCollection? Form, byte[]? File)> ReadAsync(HttpRequest request, string field)
    {
        var (form, file, _) = await ReadWithNameAsync(request, field);
        return (form, file);
    }

    /// <summary>
    /// The file with its <c>filename</c> parameter exactly as it came on the wire: unquoted, but never decoded. An RFC 2047
    /// encoded word (<c>=?utf-8?B?…?=</c>) stays what a platform that does not speak RFC 2047 sees, a name without an
    /// extension; <c>filename*</c> is not read (RFC 7578 §4.2 forbids it in multipart/form-data).
    /// </summary>
    public static async Task<(IFormCollection? Form, byte[]? File, string? FileName)> ReadWithNameAsync(HttpRequest request, string field)
    {
        if (!request.HasFormContentType)
        {
            return (null, null, null);
        }

        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var file = form.Files.GetFile(field);
        if (file is null)
        {
            return (form, null, null);
        }

        using var ms = new MemoryStream();
        await file.CopyToAsync(ms, request.HttpContext.RequestAborted);
        return (form, ms.ToArray(), RawFileName(file.ContentDisposition));
    }

    /// <summary>The <c>filename</c> parameter of a Content-Disposition value, unquoted and unescaped, not decoded.</summary>
    public static string? RawFileName(string? contentDisposition)
    {
        if (!Microsoft.Net.Http.Headers.ContentDispositionHeaderValue.TryParse(contentDisposition, out var parsed))
        {
            return null;
        }

        var raw = Microsoft.Net.Http.Headers.NameValueHeaderValue.Find(parsed.Parameters, "filename")?.Value;
        return raw is not { HasValue: true } value ? null : Microsoft.Net.Http.Headers.HeaderUtilities.UnescapeAsQuotedString(value).ToString();
    }

    /// <summary>The file name's extension, lower case, without the dot; null when there is none.</summary>
    public static string? Extension(string? fileName)
    {
        var ext = Path.GetExtension(fileName);
        return string.IsNullOrEmpty(ext) || ext.Length == 1 ? null : ext[1..].ToLowerInvariant();
    }
}
