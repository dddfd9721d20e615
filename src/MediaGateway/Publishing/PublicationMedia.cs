using MediaGateway.Content;
using MediaGateway.Platforms;

namespace MediaGateway.Publishing;

/// <summary>A referenced image is gone from the store: nothing can be sent.</summary>
internal sealed class MediaMissingException(string mediaId) : Exception($"media {mediaId} is missing")
{
    public string MediaId { get; } = mediaId;
}

/// <summary>Reads uploaded images for the platform calls.</summary>
internal sealed class PublicationMedia(MediaStore media)
{
    public async Task<MediaFile> ReadAsync(string mediaId)
    {
        var (info, bytes) = await media.ReadAsync(mediaId) ?? throw new MediaMissingException(mediaId);
        return new MediaFile(info.FileName, info.ContentType, bytes);
    }
}
