using MediaGateway.Content;
using MediaGateway.Platforms;
using Microsoft.Extensions.Caching.Memory;

namespace MediaGateway.Publishing;

/// <summary>A referenced image is gone from the store: nothing can be sent.</summary>
internal sealed class MediaMissingException(string mediaId) : Exception($"media {mediaId} is missing")
{
    public string MediaId { get; } = mediaId;
}

/// <summary>
/// Reads uploaded images for the platform calls. An item for 100 WeChat accounts uploads the same cover to each of them, and
/// a stored image never changes (decision 23: other bytes are another image, under another id), so the images read in the
/// last minutes are kept, up to <see cref="CacheBytes"/> in all: the fan-out reads each from Redis once, not once per account.
/// A missing image is never cached: it is looked for again at the next step.
/// </summary>
internal sealed class PublicationMedia(MediaStore media) : IDisposable
{
    /// <summary>At most this many bytes of images are kept (a cover may be up to 10 MB).</summary>
    public const long CacheBytes = 16 * 1024 * 1024;

    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(2);
    private readonly MemoryCache _recent = new(new MemoryCacheOptions { SizeLimit = CacheBytes });

    public async Task<MediaFile> ReadAsync(string mediaId)
    {
        if (_recent.TryGetValue(mediaId, out MediaFile? known) && known is not null) return known;
        var (info, bytes) = await media.ReadAsync(mediaId) ?? throw new MediaMissingException(mediaId);
        var file = new MediaFile(info.FileName, info.ContentType, bytes);
        if (bytes.Length <= CacheBytes)
        {
            _recent.Set(mediaId, file, new MemoryCacheEntryOptions { Size = Math.Max(1, bytes.Length), SlidingExpiration = Keep });
        }

        return file;
    }

    public void Dispose() => _recent.Dispose();
}
