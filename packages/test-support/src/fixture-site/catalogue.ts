export interface Product {
  id: number;
  name: string;
  price: number;
  tags: string[];
  stock: number;
  available: boolean;
  rating: number;
  addedAt: string;
  description: string;
  specs: { weightGrams: number; colour: string };
}

const COLOURS = ['red', 'green', 'blue', 'black', 'white'];
const TAGS = ['sale', 'new', 'eco', 'bulk', 'gift'];

/** The deterministic product catalogue every fixture page is built from: same ids, same values. */
export function product(id: number): Product {
  const colour = COLOURS[id % COLOURS.length]!;
  return {
    id,
    name: `Product ${id} ${colour}`,
    price: Math.round(((id * 7.31) % 500) * 100) / 100 + 1,
    tags: TAGS.filter((_, i) => (id + i) % 3 === 0),
    stock: (id * 13) % 40,
    available: id % 4 !== 0,
    rating: ((id * 17) % 50) / 10,
    addedAt: new Date(Date.UTC(2026, 0, 1) + id * 3_600_000).toISOString(),
    description: `Description of product ${id}: «ünïcødé» & <markup>`,
    specs: { weightGrams: 100 + id, colour },
  };
}

export function productsOnPage(page: number, perPage: number, total: number): Product[] {
  const first = (page - 1) * perPage + 1;
  const last = Math.min(total, page * perPage);
  const products: Product[] = [];
  for (let id = first; id <= last; id++) products.push(product(id));
  return products;
}
