using System.Security.Cryptography;
using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Content;

/// <summary>An uploaded image, referenced from content as <c>media:ID</c>.</summary>
public sealed record StoredMedia(string Id, string FileName, string ContentType, string Sha256, long Size);

/// <summary>Images kept in Redis until they are re-hosted on the platforms.</summary>
public sealed class MediaStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    public const long MaxBytes = 10 * 1024 * 1024;

    public async Task<StoredMedia> SaveAsync(string fileName, string contentType, byte[] bytes)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var id = sha[..24];
        var media = new StoredMedia(id, fileName, contentType, sha, bytes.Length);
        await redis.GetDatabase().HashSetAsync(keys.Media(id),
        [
            new HashEntry("fileName", fileName), new HashEntry("contentType", contentType),
            new HashEntry("sha256", sha), new HashEntry("data", bytes),
        ]);
        return media;
    }

    public async Task<StoredMedia?> FindAsync(string id)
    {
        var values = await redis.GetDatabase().HashGetAsync(keys.Media(id), ["fileName", "contentType", "sha256"]);
        return values[0].IsNull ? null : new StoredMedia(id, values[0]!, values[1]!, values[2]!, 0);
    }

    /// <summary>The image's name, type and bytes in one read; null when it is not stored.</summary>
    public async Task<(StoredMedia Info, byte[] Bytes)?> ReadAsync(string id)
    {
        var values = await redis.GetDatabase().HashGetAsync(keys.Media(id), ["fileName", "contentType", "sha256", "data"]);
        if (values[0].IsNull || values[3].IsNull) return null;
        var bytes = (byte[])values[3]!;
        return (new StoredMedia(id, values[0]!, values[1]!, values[2]!, bytes.Length), bytes);
    }

    /// <summary>The image type by its first bytes, whatever the upload claimed.</summary>
    public static string? SniffImageType(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, 0x50, 0x4E, 0x47, ..] => "image/png",
        [0x47, 0x49, 0x46, 0x38, ..] => "image/gif",
        _ => null,
    };
}
