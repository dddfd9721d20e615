namespace MediaGateway.Platforms;

/// <summary>An image to upload: bytes with their file name and MIME type.</summary>
public sealed record MediaFile(string FileName, string ContentType, ReadOnlyMemory<byte> Content);
