/*
 * CVips.h — fixed-arity shims over libvips' variadic API.
 *
 * Why this file exists: almost every libvips operation is a C varargs function
 * (`vips_thumbnail(filename, &out, width, "height", h, ..., NULL)`), and Swift cannot call C
 * varargs functions. Each shim below takes typed, fixed parameters and forwards them to exactly
 * one libvips call, with the NULL terminator inside. `withVaList` is deliberately not used: it
 * gets integer widths and terminators wrong silently.
 *
 * Naming: `cvips_<libvips name>`; a suffix says which optional arguments the shim sets. Only the
 * Swift `Vips` module imports this header. Non-variadic libvips functions are called directly.
 * Written against libvips 8.14 (Debian 12) and later.
 */
#ifndef CVIPS_H
#define CVIPS_H

#include <vips/vips.h>

/* MARK: - Runtime */

static inline int cvips_init(const char *argv0) { return vips_init(argv0); }

/* A log handler that drops libvips' GLib warnings, so command-line output stays ours. */
static inline void cvips_silence_handler(const gchar *domain, GLogLevelFlags level,
                                         const gchar *message, gpointer user_data) {
    (void)domain; (void)level; (void)message; (void)user_data;
}
static inline void cvips_silence_warnings(void) {
    g_log_set_handler("VIPS", (GLogLevelFlags)(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE),
                      cvips_silence_handler, NULL);
}

/* Whether the operation class called `name` (as vips_foreign_find_load returns it) is blocked,
 * for example an untrusted loader after vips_block_untrusted_set(TRUE). */
static inline gboolean cvips_operation_is_blocked(const char *name) {
    GType type = g_type_from_name(name);
    VipsOperationClass *class = type ? (VipsOperationClass *) g_type_class_peek(type) : NULL;
    return class && (class->flags & VIPS_OPERATION_BLOCKED) ? TRUE : FALSE;
}

/* Loads one libvips module (vips-heif.so, …) so that its operations register, as vips_init does
 * for every module; vips_load_plugins is not exported in 8.14. */
static inline int cvips_load_module(const char *path) {
    GModule *module = g_module_open(path, G_MODULE_BIND_LAZY);
    if (!module) return -1;
    g_module_make_resident(module);
    return 0;
}

/* MARK: - Loading (every loader accepts access and fail_on; only multi-page loaders take n) */

/* A loader operation called `nickname` (`jpegload_source`, …) on `source`, or NULL: a loader
 * chosen by name, never by libvips' probe, which asks every loader (blocked ones included) to
 * sniff the bytes and which one of them (8.14's SVG sniffer on a malformed gzip member) never
 * returns from. */
static inline VipsOperation *cvips_loader_new(const char *nickname, VipsSource *source,
                                              VipsAccess access, VipsFailOn fail_on) {
    VipsOperation *operation = vips_operation_new(nickname);
    if (!operation) return NULL;
    if (vips_object_set(VIPS_OBJECT(operation), "source", source, "access", access,
                        "fail_on", fail_on, NULL)) {
        g_object_unref(operation);
        return NULL;
    }
    return operation;
}

/* Builds a loader operation (unless `failed`) and returns its image as a new reference, or NULL;
 * the operation is released either way. */
static inline VipsImage *cvips_loader_run(VipsOperation *operation, int failed) {
    if (failed || vips_cache_operation_buildp(&operation)) {
        vips_object_unref_outputs(VIPS_OBJECT(operation));
        g_object_unref(operation);
        return NULL;
    }
    VipsImage *out = NULL;
    g_object_get(operation, "out", &out, NULL);
    vips_object_unref_outputs(VIPS_OBJECT(operation));
    g_object_unref(operation);
    return out;
}

/* Runs the loader called `nickname` on `source` (see cvips_loader_new). `n` is passed to
 * multi-page loaders only when it is not 1. Returns a new reference, or NULL. */
static inline VipsImage *cvips_load_source(const char *nickname, VipsSource *source,
                                           VipsAccess access, VipsFailOn fail_on, int n) {
    VipsOperation *operation = cvips_loader_new(nickname, source, access, fail_on);
    if (!operation) return NULL;
    return cvips_loader_run(operation, n != 1 && vips_object_set(VIPS_OBJECT(operation), "n", n, NULL));
}

/* A JPEG loaded again to decode at 1/shrink of its size (the scaled DCT), for a fast
 * shrink-on-load that CVipsDecode.h left to libvips. */
static inline VipsImage *cvips_load_source_shrunk(const char *nickname, VipsSource *source,
                                                  VipsAccess access, VipsFailOn fail_on, int shrink) {
    VipsOperation *operation = cvips_loader_new(nickname, source, access, fail_on);
    if (!operation) return NULL;
    int failed = vips_object_set(VIPS_OBJECT(operation), "shrink", shrink, NULL);
    return cvips_loader_run(operation, failed);
}

/* The nickname (`jpegload_source`) of a loader type name as vips_foreign_find_load_source
 * returns it (`VipsForeignLoadJpegSource`). */
static inline const char *cvips_nickname_of_type(const char *type_name) {
    GType type = g_type_from_name(type_name);
    return type ? vips_nickname_find(type) : NULL;
}

/* MARK: - Thumbnail (shrink-on-load) */

static inline int cvips_thumbnail_source(VipsSource *source, VipsImage **out, int width,
                                         int height, VipsSize size, VipsInteresting crop,
                                         gboolean no_rotate, VipsFailOn fail_on,
                                         const char *option_string) {
    return vips_thumbnail_source(source, out, width, "height", height, "size", size,
                                 "crop", crop, "no_rotate", no_rotate, "fail_on", fail_on,
                                 "option_string", option_string, NULL);
}

static inline int cvips_thumbnail_image(VipsImage *in, VipsImage **out, int width, int height,
                                        VipsSize size, VipsInteresting crop,
                                        gboolean no_rotate) {
    return vips_thumbnail_image(in, out, width, "height", height, "size", size, "crop", crop,
                                "no_rotate", no_rotate, NULL);
}

/* MARK: - Synthesis */

static inline int cvips_xyz(VipsImage **out, int width, int height) {
    return vips_xyz(out, width, height, NULL);
}
static inline int cvips_gaussnoise(VipsImage **out, int width, int height, double sigma, double mean,
                                   int seed) {
    return vips_gaussnoise(out, width, height, "sigma", sigma, "mean", mean, "seed", seed, NULL);
}

/* MARK: - Geometry */

static inline int cvips_resize(VipsImage *in, VipsImage **out, double scale, double vscale,
                               VipsKernel kernel) {
    return vips_resize(in, out, scale, "vscale", vscale, "kernel", kernel, NULL);
}
static inline int cvips_extract_area(VipsImage *in, VipsImage **out, int left, int top,
                                     int width, int height) {
    return vips_extract_area(in, out, left, top, width, height, NULL);
}
static inline int cvips_smartcrop(VipsImage *in, VipsImage **out, int width, int height,
                                  VipsInteresting interesting) {
    return vips_smartcrop(in, out, width, height, "interesting", interesting, NULL);
}
static inline int cvips_rot(VipsImage *in, VipsImage **out, VipsAngle angle) {
    return vips_rot(in, out, angle, NULL);
}
static inline int cvips_rotate(VipsImage *in, VipsImage **out, double angle,
                               const double *background, int n) {
    VipsArrayDouble *bg = vips_array_double_new(background, n);
    int result = vips_rotate(in, out, angle, "background", bg, NULL);
    vips_area_unref(VIPS_AREA(bg));
    return result;
}
static inline int cvips_flip(VipsImage *in, VipsImage **out, VipsDirection direction) {
    return vips_flip(in, out, direction, NULL);
}
static inline int cvips_autorot(VipsImage *in, VipsImage **out) {
    return vips_autorot(in, out, NULL);
}
static inline int cvips_embed(VipsImage *in, VipsImage **out, int x, int y, int width,
                              int height, VipsExtend extend, const double *background, int n) {
    VipsArrayDouble *bg = vips_array_double_new(background, n);
    int result = vips_embed(in, out, x, y, width, height, "extend", extend,
                            "background", bg, NULL);
    vips_area_unref(VIPS_AREA(bg));
    return result;
}
static inline int cvips_arrayjoin(VipsImage **in, VipsImage **out, int n, int across,
                                  int shim, const double *background, int nbackground,
                                  VipsAlign halign, VipsAlign valign) {
    VipsArrayDouble *bg = vips_array_double_new(background, nbackground);
    int result = vips_arrayjoin(in, out, n, "across", across, "shim", shim,
                                "background", bg, "halign", halign, "valign", valign, NULL);
    vips_area_unref(VIPS_AREA(bg));
    return result;
}

/* MARK: - Bands, colour and alpha */

static inline int cvips_flatten(VipsImage *in, VipsImage **out, const double *background,
                                int n) {
    VipsArrayDouble *bg = vips_array_double_new(background, n);
    int result = vips_flatten(in, out, "background", bg, NULL);
    vips_area_unref(VIPS_AREA(bg));
    return result;
}
static inline int cvips_addalpha(VipsImage *in, VipsImage **out) {
    return vips_addalpha(in, out, NULL);
}
static inline int cvips_extract_band(VipsImage *in, VipsImage **out, int band, int n) {
    return vips_extract_band(in, out, band, "n", n, NULL);
}
static inline int cvips_bandjoin2(VipsImage *a, VipsImage *b, VipsImage **out) {
    return vips_bandjoin2(a, b, out, NULL);
}
static inline int cvips_icc_transform_embedded(VipsImage *in, VipsImage **out,
                                               const char *output_profile, VipsIntent intent) {
    return vips_icc_transform(in, out, output_profile, "embedded", TRUE, "intent", intent,
                              NULL);
}
static inline int cvips_colourspace(VipsImage *in, VipsImage **out, VipsInterpretation space) {
    return vips_colourspace(in, out, space, NULL);
}
static inline int cvips_cast(VipsImage *in, VipsImage **out, VipsBandFormat format) {
    return vips_cast(in, out, format, NULL);
}
static inline int cvips_round(VipsImage *in, VipsImage **out, VipsOperationRound round) {
    return vips_round(in, out, round, NULL);
}
static inline int cvips_copy(VipsImage *in, VipsImage **out) { return vips_copy(in, out, NULL); }
static inline int cvips_copy_interpretation(VipsImage *in, VipsImage **out,
                                            VipsInterpretation interpretation) {
    return vips_copy(in, out, "interpretation", interpretation, NULL);
}

/* MARK: - Arithmetic */

static inline int cvips_linear(VipsImage *in, VipsImage **out, const double *a, const double *b,
                               int n) {
    return vips_linear(in, out, a, b, n, NULL);
}
static inline int cvips_add(VipsImage *left, VipsImage *right, VipsImage **out) {
    return vips_add(left, right, out, NULL);
}
static inline int cvips_multiply(VipsImage *left, VipsImage *right, VipsImage **out) {
    return vips_multiply(left, right, out, NULL);
}
static inline int cvips_subtract(VipsImage *left, VipsImage *right, VipsImage **out) {
    return vips_subtract(left, right, out, NULL);
}
static inline int cvips_sum(VipsImage **in, VipsImage **out, int n) {
    return vips_sum(in, out, n, NULL);
}
static inline int cvips_invert(VipsImage *in, VipsImage **out) { return vips_invert(in, out, NULL); }
static inline int cvips_abs(VipsImage *in, VipsImage **out) { return vips_abs(in, out, NULL); }
static inline int cvips_stats(VipsImage *in, VipsImage **out) { return vips_stats(in, out, NULL); }
static inline int cvips_avg(VipsImage *in, double *out) { return vips_avg(in, out, NULL); }
static inline int cvips_max(VipsImage *in, double *out) { return vips_max(in, out, NULL); }
static inline int cvips_getpoint(VipsImage *in, double **vector, int *n, int x, int y) {
    return vips_getpoint(in, vector, n, x, y, NULL);
}
static inline int cvips_conv_integer(VipsImage *in, VipsImage **out, VipsImage *mask) {
    return vips_conv(in, out, mask, "precision", VIPS_PRECISION_INTEGER, NULL);
}
static inline int cvips_sharpen(VipsImage *in, VipsImage **out, double sigma) {
    return vips_sharpen(in, out, "sigma", sigma, NULL);
}

/* MARK: - Compositing and text */

static inline int cvips_composite2(VipsImage *base, VipsImage *overlay, VipsImage **out,
                                   VipsBlendMode mode, int x, int y) {
    return vips_composite2(base, overlay, out, mode, "x", x, "y", y, NULL);
}
static inline int cvips_text(VipsImage **out, const char *text, const char *font, int width,
                             int dpi, VipsAlign align) {
    if (width > 0)
        return vips_text(out, text, "font", font, "width", width, "dpi", dpi,
                         "align", align, NULL);
    return vips_text(out, text, "font", font, "dpi", dpi, "align", align, NULL);
}

/* MARK: - Saving (to a VipsTarget: a file or memory) */

static inline int cvips_jpegsave_target(VipsImage *in, VipsTarget *target, int q,
                                        gboolean interlace, gboolean strip,
                                        gboolean optimize_coding) {
    return vips_jpegsave_target(in, target, "Q", q, "interlace", interlace, "strip", strip,
                                "optimize_coding", optimize_coding, NULL);
}
static inline int cvips_pngsave_target(VipsImage *in, VipsTarget *target, int compression,
                                       gboolean interlace, gboolean strip, gboolean palette,
                                       int q, int effort) {
    if (palette)
        return vips_pngsave_target(in, target, "compression", compression,
                                   "interlace", interlace, "strip", strip, "palette", TRUE,
                                   "Q", q, "effort", effort, NULL);
    return vips_pngsave_target(in, target, "compression", compression, "interlace", interlace,
                               "strip", strip, NULL);
}
static inline int cvips_webpsave_target(VipsImage *in, VipsTarget *target, int q,
                                        gboolean lossless, int effort, gboolean strip) {
    return vips_webpsave_target(in, target, "Q", q, "lossless", lossless, "effort", effort,
                                "strip", strip, NULL);
}
static inline int cvips_heifsave_target(VipsImage *in, VipsTarget *target, int q,
                                        gboolean lossless, int effort,
                                        VipsForeignHeifCompression compression,
                                        gboolean strip) {
    return vips_heifsave_target(in, target, "Q", q, "lossless", lossless, "effort", effort,
                                "compression", compression, "strip", strip, NULL);
}
static inline int cvips_gifsave_target(VipsImage *in, VipsTarget *target, int effort,
                                       gboolean strip) {
    return vips_gifsave_target(in, target, "effort", effort, "strip", strip, NULL);
}
static inline int cvips_tiffsave_target(VipsImage *in, VipsTarget *target,
                                        VipsForeignTiffCompression compression, int q,
                                        gboolean strip) {
    return vips_tiffsave_target(in, target, "compression", compression, "Q", q,
                                "strip", strip, NULL);
}
static inline int cvips_jxlsave_target(VipsImage *in, VipsTarget *target, int q,
                                       gboolean lossless, int effort, gboolean strip) {
    return vips_jxlsave_target(in, target, "Q", q, "lossless", lossless, "effort", effort,
                               "strip", strip, NULL);
}

/* The bytes a memory target holds once a saver has ended it (borrowed from the target). */
static inline const void *cvips_target_memory(VipsTarget *target, size_t *length) {
    *length = 0;
    if (!target->blob) return NULL;
    return vips_blob_get(target->blob, length);
}

/* MARK: - Deep zoom */

static inline int cvips_dzsave(VipsImage *in, const char *name, VipsForeignDzLayout layout,
                               const char *suffix, int overlap, int tile_size,
                               VipsForeignDzContainer container, VipsForeignDzDepth depth,
                               gboolean strip) {
    return vips_dzsave(in, name, "layout", layout, "suffix", suffix, "overlap", overlap,
                       "tile_size", tile_size, "container", container, "depth", depth,
                       "strip", strip, NULL);
}

/* MARK: - Cancellation */

static inline void cvips_image_set_kill(VipsImage *image, gboolean kill) {
    vips_image_set_kill(image, kill);
}

#endif /* CVIPS_H */
