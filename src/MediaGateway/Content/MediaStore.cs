using System.Security.Cryptography;
using System.Text;
using MediaGateway.Platforms;
using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Content;

/// <summary>An uploaded image, referenced from content as <c>media:ID</c>. <see cref="ContentType"/> is sniffed from the bytes.</summary>
internal sealed record StoredMedia(string Id, string FileName, string ContentType, string Sha256, long Size);

/// <summary>
/// Images kept in Redis until they are re-hosted on the platforms. A stored image never changes (decision 23): its id is a
/// hash of its bytes and its name, and a record is written only when none exists, so an item that references an image
/// sends exactly the bytes and the name its reviewers approved. The same bytes under another name are another image.
/// </summary>
internal sealed class MediaStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    public const long MaxBytes = 10 * 1024 * 1024;

    /// <summary>The id of these bytes under this name: the same upload again gives the same id, another name another id.</summary>
    public static string IdFor(string sha256, string fileName) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sha256 + "\n" + fileName)))[..24];

    /// <summary>Stores the image unless it is already stored; either way the stored record is returned, never changed.</summary>
    public async Task<StoredMedia> SaveAsync(string fileName, string contentType, byte[] bytes)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var id = IdFor(sha, fileName);
        var key = keys.Media(id);
        var tx = redis.GetDatabase().CreateTransaction();
        tx.AddCondition(Condition.KeyNotExists(key));
        _ = tx.HashSetAsync(key,
        [
            new HashEntry("fileName", fileName), new HashEntry("contentType", contentType),
            new HashEntry("sha256", sha), new HashEntry("size", bytes.Length), new HashEntry("data", bytes),
        ]);
        if (await tx.ExecuteAsync())
        {
            return new StoredMedia(id, fileName, contentType, sha, bytes.Length);
        }

        // Already stored: the same bytes under the same name (the id says so), kept as first written.
        return await FindAsync(id) ?? throw new InvalidOperationException($"media {id} exists but cannot be read");
    }

    /// <summary>The image's name, sniffed type, hash and size, without its bytes; null when it is not stored.</summary>
    public async Task<StoredMedia?> FindAsync(string id)
    {
        var db = redis.GetDatabase();
        var read = db.HashGetAsync(keys.Media(id), ["fileName", "contentType", "sha256"]);
        var size = db.HashStringLengthAsync(keys.Media(id), "data");
        var values = await read;
        return values[0].IsNull ? null : new StoredMedia(id, values[0]!, values[1]!, values[2]!, await size);
    }

    /// <summary>The image's name, type and bytes in one read; null when it is not stored.</summary>
    public async Task<(StoredMedia Info, byte[] Bytes)?> ReadAsync(string id)
    {
        var values = await redis.GetDatabase().HashGetAsync(keys.Media(id), ["fileName", "contentType", "sha256", "data"]);
        if (values[0].IsNull || values[3].IsNull) return null;
        var bytes = (byte[])values[3]!;
        return (new StoredMedia(id, values[0]!, values[1]!, values[2]!, bytes.Length), bytes);
    }

    /// <summary>The image type by its first bytes, whatever the upload claimed (<see cref="ImageTypes.Sniff"/>).</summary>
    public static string? SniffImageType(ReadOnlySpan<byte> bytes) => ImageTypes.Sniff(bytes);
}
