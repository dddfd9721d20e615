namespace MediaGateway.Platforms;

/// <summary>
/// An image's type by its first bytes (magic numbers), as the platforms judge it: never by its name or declared type.
/// </summary>
public static class ImageTypes
{
    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";
    public const string Gif = "image/gif";
    public const string Bmp = "image/bmp";

    /// <summary>The MIME type of the bytes: JPEG, PNG, GIF or BMP; null for anything else.</summary>
    public static string? Sniff(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xFF, 0xD8, 0xFF, ..] => Jpeg,
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => Png,
        [0x47, 0x49, 0x46, 0x38, 0x37 or 0x39, 0x61, ..] => Gif, // GIF87a, GIF89a
        [0x42, 0x4D, ..] => Bmp,
        _ => null,
    };

    /// <summary>The file extension the platforms expect for a type ("jpg", not "jpeg"), without the dot; null when unknown.</summary>
    public static string? Extension(string? mimeType) => mimeType switch
    {
        Jpeg => "jpg",
        Png => "png",
        Gif => "gif",
        Bmp => "bmp",
        _ => null,
    };

    /// <summary>A short name for people: "JPG", "PNG", "GIF", "BMP"; the MIME type itself when unknown.</summary>
    public static string DisplayName(string? mimeType) => Extension(mimeType)?.ToUpperInvariant() ?? mimeType ?? "?";
}
