// SPDX-License-Identifier: MIT
/* KeyPackage (RFC 9420 §10). */
#include <string.h>

#include "mls/msg_keypackage.h"

void mls_key_package_encode_tbs(struct mls_writer *w,
				const struct mls_key_package *v)
{
	mls_write_u16(w, v->version);
	mls_write_u16(w, v->cipher_suite);
	mls_write_opaque_bytes(w, &v->init_key);
	mls_leaf_node_encode(w, &v->leaf_node);
	mls_extension_list_encode(w, &v->extensions);
}

void mls_key_package_encode(struct mls_writer *w,
			    const struct mls_key_package *v)
{
	mls_key_package_encode_tbs(w, v);
	mls_write_opaque_bytes(w, &v->signature);
}

int mls_key_package_decode(struct mls_reader *r, struct mls_key_package *v)
{
	memset(v, 0, sizeof(*v));
	mls_read_u16(r, &v->version);
	mls_read_u16(r, &v->cipher_suite);
	mls_read_opaque(r, &v->init_key);
	mls_leaf_node_decode(r, &v->leaf_node);
	mls_extension_list_decode(r, &v->extensions);
	mls_read_opaque(r, &v->signature);
	if (r->err)
		mls_key_package_free(v);
	return r->err;
}

void mls_key_package_free(struct mls_key_package *v)
{
	mls_bytes_free(&v->init_key);
	mls_leaf_node_free(&v->leaf_node);
	mls_extension_list_free(&v->extensions);
	mls_bytes_free(&v->signature);
	memset(v, 0, sizeof(*v));
}

MLS_DEFINE_WHOLE_CODEC(key_package)
