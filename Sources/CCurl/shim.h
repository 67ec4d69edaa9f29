#ifndef VANTAGE_CCURL_SHIM_H
#define VANTAGE_CCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are C variadics, which Swift cannot
   call: one typed wrapper per argument kind Vantage passes. */

typedef size_t (*vantage_curl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode vantage_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode vantage_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode vantage_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode vantage_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode vantage_curl_easy_setopt_callback(CURL *handle, CURLoption option, vantage_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode vantage_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode vantage_curl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

#endif
