/*
 * CVipsDecode.h — whole-input decoders for the thumbnail fast path.
 *
 * Why this file exists: a thumbnail decodes its whole input, and libvips 8.14 spends more on
 * that than the codecs it wraps. Its JPEG loader hands libjpeg-turbo 4 KB at a time (the slower
 * Huffman path); its PNG loader inflates with zlib, at half libdeflate's speed. Here each codec
 * library decodes the whole input itself — libjpeg-turbo at 1/shrink, libwebp scaled to the box,
 * libdeflate for PNG's compressed data — into one buffer, resampled to the box where that is
 * left to do (CVipsResample.h), that becomes a memory image carrying the metadata libvips read
 * from the header.
 *
 * Every decoder is a fast path only: an input it does not handle exactly as libvips would (CMYK,
 * 16-bit, interlaced, palette or colour-key PNGs, animations), or any warning or error while
 * decoding (truncated, corrupt), returns NULL and the caller loads through libvips, whose checks
 * and messages then apply. No decoder reads outside the input or writes outside its buffer.
 * Only the Swift `Vips` module imports this header.
 */
#ifndef CVIPS_DECODE_H
#define CVIPS_DECODE_H

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jpeglib.h>
#include <libdeflate.h>
#include <vips/vips.h>
#include <webp/decode.h>
#include <webp/demux.h>

#include "CVipsResample.h"

/* MARK: - The input */

/* Where the encoded bytes are: memory libvips reads (a memory source), or the descriptor of a
 * file source, read with pread so libvips' own position is untouched. */
typedef struct {
    const unsigned char *memory;
    int descriptor;
    size_t length;
} CVipsInput;

static inline int cvips_input_of(VipsSource *source, CVipsInput *input) {
    if (source->data) {
        input->memory = (const unsigned char *) source->data;
        input->descriptor = -1;
        input->length = (size_t) source->length;
        return 0;
    }
    struct stat info;
    int descriptor = VIPS_CONNECTION(source)->descriptor;
    if (descriptor < 0 || fstat(descriptor, &info) != 0 || !S_ISREG(info.st_mode) || info.st_size <= 0) return -1;
    input->memory = NULL;
    input->descriptor = descriptor;
    input->length = (size_t) info.st_size;
    return 0;
}

/* Copies `count` bytes at `offset` into `into`; -1 past the end or on a failed read. */
static inline int cvips_input_read(const CVipsInput *input, size_t offset, void *into, size_t count) {
    if (offset > input->length || count > input->length - offset) return -1;
    if (input->memory) {
        memcpy(into, input->memory + offset, count);
        return 0;
    }
    unsigned char *to = (unsigned char *) into;
    while (count > 0) {
        ssize_t got = pread(input->descriptor, to, count, (off_t) offset);
        if (got <= 0) return -1;
        to += got;
        offset += (size_t) got;
        count -= (size_t) got;
    }
    return 0;
}

/* The whole input as one block: the source's own memory, or a copy in `*owned` (g_free it). */
static inline const unsigned char *cvips_input_whole(const CVipsInput *input, unsigned char **owned) {
    *owned = NULL;
    if (input->memory) return input->memory;
    unsigned char *copy = (unsigned char *) g_try_malloc(input->length);
    if (!copy || cvips_input_read(input, 0, copy, input->length)) {
        g_free(copy);
        return NULL;
    }
    *owned = copy;
    return copy;
}

/* MARK: - JPEG (libjpeg-turbo, scaled DCT) */

typedef struct {
    struct jpeg_error_mgr manager;
    jmp_buf escape;
} CVipsJpegError;

static inline void cvips_jpeg_escape(j_common_ptr info) { longjmp(((CVipsJpegError *) info->err)->escape, 1); }
static inline void cvips_jpeg_quiet(j_common_ptr info) { (void) info; }

/* A greyscale, YCbCr or RGB JPEG decoded at 1/shrink (1, 2, 4 or 8) into 1 or 3 bands. */
static inline unsigned char *cvips_decode_jpeg(const unsigned char *bytes, size_t length, int shrink,
                                               int *width, int *height, int *bands) {
    struct jpeg_decompress_struct decoder;
    CVipsJpegError error;
    unsigned char *volatile pixels = NULL;
    decoder.err = jpeg_std_error(&error.manager);
    error.manager.error_exit = cvips_jpeg_escape;
    error.manager.output_message = cvips_jpeg_quiet;
    jpeg_create_decompress(&decoder);
    if (setjmp(error.escape)) {
        jpeg_destroy_decompress(&decoder);
        g_free(pixels);
        return NULL;
    }
    jpeg_mem_src(&decoder, bytes, (unsigned long) length);
    if (jpeg_read_header(&decoder, TRUE) != JPEG_HEADER_OK) longjmp(error.escape, 1);
    J_COLOR_SPACE space = decoder.jpeg_color_space;
    if (!((space == JCS_GRAYSCALE && decoder.num_components == 1) ||
          ((space == JCS_YCbCr || space == JCS_RGB) && decoder.num_components == 3))) longjmp(error.escape, 1);
    decoder.out_color_space = space == JCS_GRAYSCALE ? JCS_GRAYSCALE : JCS_RGB;
    decoder.scale_num = 1;
    decoder.scale_denom = (unsigned int) shrink;
    jpeg_start_decompress(&decoder);
    size_t stride = (size_t) decoder.output_width * (size_t) decoder.output_components;
    pixels = (unsigned char *) g_try_malloc(stride * decoder.output_height);
    if (!pixels) longjmp(error.escape, 1);
    while (decoder.output_scanline < decoder.output_height) {
        JSAMPROW rows[16];
        JDIMENSION start = decoder.output_scanline, count = decoder.output_height - start;
        if (count > 16) count = 16;
        for (JDIMENSION row = 0; row < count; row++) rows[row] = pixels + stride * (start + row);
        if (jpeg_read_scanlines(&decoder, rows, count) == 0) longjmp(error.escape, 1);
    }
    jpeg_finish_decompress(&decoder);
    /* A warning (data missing or corrupt, filled in grey) is libvips' to judge with its fail_on. */
    if (error.manager.num_warnings > 0) longjmp(error.escape, 1);
    *width = (int) decoder.output_width;
    *height = (int) decoder.output_height;
    *bands = decoder.output_components;
    jpeg_destroy_decompress(&decoder);
    return pixels;
}

/* MARK: - WebP (libwebp, scaled while decoding) */

/* A still lossy or lossless WebP decoded straight to width × height, RGB or RGBA. As libvips
 * does, the frame the demuxer finds is decoded, not the whole file: its end is the frame's end. */
static inline unsigned char *cvips_decode_webp(const unsigned char *bytes, size_t length, int width, int height, int *bands) {
    WebPData data = {bytes, length};
    WebPDemuxer *demuxer = WebPDemux(&data);
    if (!demuxer) return NULL;
    uint32_t flags = WebPDemuxGetI(demuxer, WEBP_FF_FORMAT_FLAGS);
    int across = (int) WebPDemuxGetI(demuxer, WEBP_FF_CANVAS_WIDTH), down = (int) WebPDemuxGetI(demuxer, WEBP_FF_CANVAS_HEIGHT);
    int channels = flags & ALPHA_FLAG ? 4 : 3;
    WebPIterator frame;
    unsigned char *pixels = NULL;
    if ((flags & ANIMATION_FLAG) || width < 1 || height < 1 || width > across || height > down ||
        !WebPDemuxGetFrame(demuxer, 1, &frame)) {
        WebPDemuxDelete(demuxer);
        return NULL;
    }
    WebPDecoderConfig config;
    size_t stride = (size_t) width * (size_t) channels;
    if (frame.x_offset == 0 && frame.y_offset == 0 && frame.width == across && frame.height == down &&
        WebPInitDecoderConfig(&config) && (pixels = (unsigned char *) g_try_malloc(stride * (size_t) height))) {
        config.options.use_scaling = width != across || height != down;
        config.options.scaled_width = width;
        config.options.scaled_height = height;
        config.output.colorspace = channels == 4 ? MODE_RGBA : MODE_RGB;
        config.output.is_external_memory = 1;
        config.output.u.RGBA.rgba = pixels;
        config.output.u.RGBA.stride = (int) stride;
        config.output.u.RGBA.size = stride * (size_t) height;
        if (WebPDecode(frame.fragment.bytes, frame.fragment.size, &config) != VP8_STATUS_OK) {
            g_free(pixels);
            pixels = NULL;
        }
        WebPFreeDecBuffer(&config.output);
    }
    WebPDemuxReleaseIterator(&frame);
    WebPDemuxDelete(demuxer);
    *bands = channels;
    return pixels;
}

/* MARK: - PNG (libdeflate for the compressed data) */

static inline uint32_t cvips_png_u32(const unsigned char *bytes) {
    return ((uint32_t) bytes[0] << 24) | ((uint32_t) bytes[1] << 16) | ((uint32_t) bytes[2] << 8) | (uint32_t) bytes[3];
}

/* Undoes one row's filter in place; `previous` is the row above, already undone, or NULL. */
static inline int cvips_png_unfilter(unsigned char filter, unsigned char *row, const unsigned char *previous,
                                     size_t stride, size_t pixel) {
    switch (filter) {
    case 0:
        return 0;
    case 1:
        for (size_t i = pixel; i < stride; i++) row[i] = (unsigned char) (row[i] + row[i - pixel]);
        return 0;
    case 2:
        if (previous) for (size_t i = 0; i < stride; i++) row[i] = (unsigned char) (row[i] + previous[i]);
        return 0;
    case 3:
        for (size_t i = 0; i < stride; i++) {
            unsigned left = i >= pixel ? row[i - pixel] : 0, up = previous ? previous[i] : 0;
            row[i] = (unsigned char) (row[i] + ((left + up) >> 1));
        }
        return 0;
    case 4:
        for (size_t i = 0; i < stride; i++) {
            int a = i >= pixel ? row[i - pixel] : 0, b = previous ? previous[i] : 0;
            int c = i >= pixel && previous ? previous[i - pixel] : 0;
            int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
            row[i] = (unsigned char) (row[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c));
        }
        return 0;
    default:
        return -1;
    }
}

/* An 8-bit, non-interlaced greyscale, grey-alpha, RGB or RGBA PNG without a colour key (tRNS),
 * with every chunk's CRC checked, decoded whole when its pixels fit in `max_bytes`. The buffer
 * may be longer than the pixels. */
static inline unsigned char *cvips_decode_png(const CVipsInput *input, size_t max_bytes, int *width, int *height, int *bands) {
    static const unsigned char signature[8] = {137, 80, 78, 71, 13, 10, 26, 10};
    unsigned char head[33];
    if (cvips_input_read(input, 0, head, sizeof head) || memcmp(head, signature, 8) ||
        cvips_png_u32(head + 8) != 13 || memcmp(head + 12, "IHDR", 4) ||
        libdeflate_crc32(0, head + 12, 17) != cvips_png_u32(head + 29)) return NULL;
    uint32_t columns = cvips_png_u32(head + 16), rows = cvips_png_u32(head + 20);
    int channels = head[25] == 0 ? 1 : head[25] == 4 ? 2 : head[25] == 2 ? 3 : head[25] == 6 ? 4 : 0;
    if (columns == 0 || rows == 0 || columns > VIPS_MAX_COORD || rows > VIPS_MAX_COORD || head[24] != 8 || channels == 0 ||
        head[26] != 0 || head[27] != 0 || head[28] != 0) return NULL;
    size_t stride = (size_t) columns * (size_t) channels;
    if (stride * (size_t) rows > max_bytes) return NULL;

    /* The chunks: IDAT's data gathered in order (one run of IDATs), everything checked. */
    size_t at = 33, compressed = 0, capacity = 0;
    unsigned char *data = NULL, *scratch = NULL;
    int ended = 0, idat_run = 0; /* 0 before the IDATs, 1 in them, 2 after */
    while (!ended) {
        unsigned char chunk[8];
        if (cvips_input_read(input, at, chunk, 8)) goto fail;
        size_t length = cvips_png_u32(chunk);
        if (length > 0x7fffffffu || length + 12 > input->length - at) goto fail;
        int is_data = !memcmp(chunk + 4, "IDAT", 4);
        if (!memcmp(chunk + 4, "tRNS", 4) || !memcmp(chunk + 4, "IHDR", 4)) goto fail;
        if (is_data) {
            if (idat_run == 2) goto fail;
            idat_run = 1;
        } else if (idat_run == 1) {
            idat_run = 2;
        }
        ended = !memcmp(chunk + 4, "IEND", 4);
        unsigned char *into;
        if (is_data) {
            if (compressed + length > capacity) {
                /* Room for the rest of the input: one allocation for a PNG's usual many IDATs. */
                capacity = input->length - at;
                unsigned char *grown = (unsigned char *) g_try_realloc(data, capacity);
                if (!grown) goto fail;
                data = grown;
            }
            into = data + compressed;
        } else {
            unsigned char *grown = (unsigned char *) g_try_realloc(scratch, length + 1);
            if (!grown) goto fail;
            scratch = grown;
            into = scratch;
        }
        unsigned char crc[4];
        if (cvips_input_read(input, at + 8, into, length) || cvips_input_read(input, at + 8 + length, crc, 4) ||
            libdeflate_crc32(libdeflate_crc32(0, chunk + 4, 4), into, length) != cvips_png_u32(crc)) goto fail;
        if (is_data) compressed += length;
        at += 12 + length;
    }
    g_free(scratch);
    scratch = NULL;
    if (compressed == 0) goto fail;

    /* Inflated to exactly rows × (filter byte + row): anything else is not this PNG. */
    size_t inflated = (size_t) rows * (stride + 1);
    unsigned char *pixels = (unsigned char *) g_try_malloc(inflated);
    struct libdeflate_decompressor *inflater = pixels ? libdeflate_alloc_decompressor() : NULL;
    enum libdeflate_result result = inflater
        ? libdeflate_zlib_decompress(inflater, data, compressed, pixels, inflated, NULL) : LIBDEFLATE_BAD_DATA;
    if (inflater) libdeflate_free_decompressor(inflater);
    g_free(data);
    data = NULL;
    if (result != LIBDEFLATE_SUCCESS) {
        g_free(pixels);
        return NULL;
    }
    /* Each row undone in place, then moved up over the filter bytes. */
    for (size_t y = 0; y < rows; y++) {
        unsigned char *row = pixels + y * (stride + 1) + 1;
        if (cvips_png_unfilter(row[-1], row, y ? pixels + (y - 1) * stride : NULL, stride, (size_t) channels)) {
            g_free(pixels);
            return NULL;
        }
        memmove(pixels + y * stride, row, stride);
    }
    *width = (int) columns;
    *height = (int) rows;
    *bands = channels;
    return pixels;

fail:
    g_free(data);
    g_free(scratch);
    return NULL;
}

/* MARK: - The memory image */

static inline void cvips_decoded_free(VipsImage *image, gpointer pixels) {
    (void) image;
    g_free(pixels);
}

/* Whether `name` is one of the fields every image has (the header proper), not metadata. */
static inline gboolean cvips_is_header_field(const char *name) {
    static const char *const fields[] = {"width", "height", "bands", "format", "coding", "interpretation", "xoffset",
                                         "yoffset", "xres", "yres", "filename", "page-height", "n-pages"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) if (!strcmp(name, fields[i])) return TRUE;
    return FALSE;
}

static inline void *cvips_copy_metadata(VipsImage *from, const char *name, GValue *value, void *to) {
    (void) from;
    if (!cvips_is_header_field(name)) vips_image_set((VipsImage *) to, name, value);
    return NULL;
}

/* Decodes what `source` holds with the codec library itself (see the top of this file), as the
 * loader `loader` would: a JPEG at 1/shrink and then resampled to width × height, a WebP scaled
 * to width × height, a PNG whole then, when shrink > 1, resampled to width × height (opaque) or
 * averaged down by shrink (with alpha). The result is a memory image with `header`'s metadata
 * (orientation, ICC profile, EXIF…) and resolution, no larger than `max_bytes`; NULL when
 * libvips' loader should do it instead. */
static inline VipsImage *cvips_decode_whole(VipsSource *source, const char *loader, VipsImage *header, int shrink,
                                            int width, int height, size_t max_bytes) {
    CVipsInput input;
    if (cvips_input_of(source, &input)) return NULL;
    int columns = 0, rows = 0, bands = 0;
    unsigned char *pixels = NULL;
    int is_png = !strcmp(loader, "pngload_source"), is_jpeg = !strcmp(loader, "jpegload_source");
    if (is_png) {
        pixels = cvips_decode_png(&input, max_bytes, &columns, &rows, &bands);
    } else if (is_jpeg || !strcmp(loader, "webpload_source")) {
        size_t area = is_jpeg ? ((size_t) header->Xsize / (size_t) shrink + 1) * ((size_t) header->Ysize / (size_t) shrink + 1)
                              : (size_t) width * (size_t) height;
        if (area * (size_t) header->Bands > max_bytes) return NULL;
        unsigned char *owned;
        const unsigned char *bytes = cvips_input_whole(&input, &owned);
        if (!bytes) return NULL;
        if (is_jpeg) {
            pixels = cvips_decode_jpeg(bytes, input.length, shrink, &columns, &rows, &bands);
        } else {
            pixels = cvips_decode_webp(bytes, input.length, width, height, &bands);
            columns = width;
            rows = height;
        }
        g_free(owned);
    }
    if (!pixels) return NULL;
    /* The bands libvips' loader would have given, or not this image after all. */
    if (bands != header->Bands || header->BandFmt != VIPS_FORMAT_UCHAR ||
        (is_png && (columns != header->Xsize || rows != header->Ysize))) {
        g_free(pixels);
        return NULL;
    }
    /* Resampled to the thumbnail's size with the Lanczos3 window libvips' reduce uses
     * (CVipsResample.h), in a third of its time: a JPEG the rest of the way after its scaled
     * DCT; an opaque PNG from its whole size when a fraction of it would otherwise be averaged
     * away first (one with alpha is left to libvips, which premultiplies before it resizes). */
    int resampled = 0;
    if ((is_jpeg || (is_png && shrink > 1 && (bands == 1 || bands == 3))) && width <= columns && height <= rows &&
        (width < columns || height < rows)) {
        unsigned char *smaller = cvips_resample(pixels, columns, rows, bands, width, height);
        g_free(pixels);
        if (!smaller) return NULL;
        pixels = smaller;
        columns = width;
        rows = height;
        resampled = 1;
    }
    VipsImage *out = vips_image_new_from_memory(pixels, (size_t) columns * (size_t) rows * (size_t) bands, columns, rows,
                                                bands, VIPS_FORMAT_UCHAR);
    if (!out) {
        g_free(pixels);
        return NULL;
    }
    g_signal_connect(out, "postclose", G_CALLBACK(cvips_decoded_free), pixels);
    vips_image_map(header, cvips_copy_metadata, out);
    /* Marked as read top to bottom, as a loaded image is: libvips then resizes it in strips with
     * line caches. Unmarked, it works in small tiles and a resize costs five times the CPU. */
    vips_image_set_int(out, VIPS_META_SEQUENTIAL, 1);
    out->Type = header->Type;
    out->Xres = header->Xres;
    out->Yres = header->Yres;
    /* A PNG with alpha, decoded whole, is averaged down by the fraction a JPEG's DCT would have
     * decoded at: the resize after it then has a fifth of the pixels to work. */
    VipsImage *shrunk;
    if (is_png && shrink > 1 && !resampled) {
        int failed = vips_shrink(out, &shrunk, (double) shrink, (double) shrink, NULL);
        g_object_unref(out);
        return failed ? NULL : shrunk;
    }
    return out;
}

#endif /* CVIPS_DECODE_H */
